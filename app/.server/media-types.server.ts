import { open } from "node:fs/promises";
import { IMAGE_MIME_TYPES, type ImageMimeType } from "~workflow/nodes/upload-image";
import { VIDEO_MIME_TYPES, type VideoMimeType } from "~workflow/nodes/upload-video";
import type { MediaKind } from "~workflow/values";

export type MediaMimeType = ImageMimeType | VideoMimeType;

/** What a file's first bytes say it is. Formats Weft refuses are recognised too, to say what was sent. */
export interface SniffedType {
  mime: string;
  /** Short format name used when listing what is accepted: "PNG", "MOV". */
  name: string;
  /** How a person would call such a file: "a PNG image", "a Windows program". */
  description: string;
}

/** How many leading bytes sniffing looks at (an ftyp box lists its brands within them). */
export const SNIFF_BYTES = 4096;

// Table order is the order formats are listed in messages ("PNG, JPEG, WebP or GIF").
const PNG = format("image/png", "PNG", "a PNG image");
const JPEG = format("image/jpeg", "JPEG", "a JPEG image");
const WEBP = format("image/webp", "WebP", "a WebP image");
const GIF = format("image/gif", "GIF", "a GIF image");
const MP4 = format("video/mp4", "MP4", "an MP4 video");
const MOV = format("video/quicktime", "MOV", "a QuickTime (MOV) video");
const WEBM = format("video/webm", "WebM", "a WebM video");
const M4V = format("video/x-m4v", "M4V", "an M4V video");
const KNOWN_MEDIA_FORMATS = [PNG, JPEG, WEBP, GIF, MP4, MOV, WEBM, M4V];

function format(mime: string, name: string, description: string): SniffedType {
  return { mime, name, description };
}

/** The file's real type from its magic bytes, or null when they match nothing Weft knows. */
export function sniffMediaType(head: Uint8Array): SniffedType | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const ascii = (start: number, end: number) => bytes.toString("latin1", start, end);
  const startsWith = (...values: number[]) => values.every((value, index) => bytes[index] === value);

  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return PNG;
  if (startsWith(0xff, 0xd8, 0xff)) return JPEG;
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return GIF;
  if (ascii(0, 4) === "RIFF") {
    const riffType = ascii(8, 12);
    if (riffType === "WEBP") return WEBP;
    if (riffType === "AVI ") return format("video/x-msvideo", "AVI", "an AVI video");
    if (riffType === "WAVE") return format("audio/wav", "WAV", "a WAV audio file");
  }
  if (ascii(4, 8) === "ftyp") return isoMediaType(bytes);
  if (startsWith(0x1a, 0x45, 0xdf, 0xa3)) return ebmlType(ascii(0, 64));

  if (ascii(0, 2) === "MZ") return format("application/x-msdownload", "EXE", "a Windows program");
  if (startsWith(0x7f, 0x45, 0x4c, 0x46)) return format("application/x-executable", "ELF", "a Linux program");
  if (ascii(0, 5) === "%PDF-") return format("application/pdf", "PDF", "a PDF document");
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return format("application/zip", "ZIP", "a ZIP archive or Office document");
  if (startsWith(0x1f, 0x8b)) return format("application/gzip", "GZIP", "a gzip archive");
  if (ascii(0, 3) === "ID3") return format("audio/mpeg", "MP3", "an MP3 audio file");
  if (ascii(0, 4) === "OggS") return format("application/ogg", "Ogg", "an Ogg audio or video file");
  if (ascii(0, 4) === "II*\0" || ascii(0, 4) === "MM\0*") return format("image/tiff", "TIFF", "a TIFF image");
  if (ascii(0, 2) === "BM") return format("image/bmp", "BMP", "a BMP image");
  if (isText(bytes)) {
    const text = bytes.toString("utf8", 0, 1024).toLowerCase();
    if (text.includes("<svg")) return format("image/svg+xml", "SVG", "an SVG image");
    if (text.includes("<html") || text.includes("<!doctype html")) return format("text/html", "HTML", "a web page (HTML)");
    return format("text/plain", "text", "a text file");
  }
  return null;
}

// ISO base media files (MP4, MOV, M4V, HEIC, AVIF, 3GP) share the ftyp box; its brands tell them apart.
const BRAND_FAMILIES: Array<{ brands: string[]; type: SniffedType }> = [
  { brands: ["qt  "], type: MOV },
  { brands: ["M4V ", "M4VH", "M4VP"], type: M4V },
  {
    brands: ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"],
    type: format("image/heic", "HEIC", "a HEIC image"),
  },
  { brands: ["avif", "avis"], type: format("image/avif", "AVIF", "an AVIF image") },
  { brands: ["M4A ", "M4B ", "M4P "], type: format("audio/mp4", "M4A", "an M4A audio file") },
  { brands: ["3gp4", "3gp5", "3gp6", "3gp7", "3g2a", "3g2b", "3g2c"], type: format("video/3gpp", "3GP", "a 3GP video") },
  {
    brands: ["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "avc1", "dash", "mmp4", "MSNV", "f4v "],
    type: MP4,
  },
];

function isoMediaType(bytes: Buffer): SniffedType {
  const major = bytes.toString("latin1", 8, 12);
  const boxEnd = Math.min(bytes.readUInt32BE(0), bytes.length);
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) compatible.push(bytes.toString("latin1", offset, offset + 4));
  // The major brand decides; compatible brands only help when it is one we do not know.
  for (const brand of [major, ...compatible]) {
    const family = BRAND_FAMILIES.find((candidate) => candidate.brands.includes(brand));
    if (family) return family.type;
  }
  return format("application/octet-stream", "ISO media", `an ISO media file of brand "${major.trim()}"`);
}

function ebmlType(header: string): SniffedType {
  if (header.includes("webm")) return WEBM;
  if (header.includes("matroska")) return format("video/x-matroska", "MKV", "a Matroska (MKV) video");
  return format("application/octet-stream", "EBML", "an EBML file");
}

/** No NUL and few control bytes: how text (and SVG, HTML) tends to look. */
function isText(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  let control = 0;
  for (const byte of bytes.subarray(0, 1024)) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control += 1;
  }
  return control === 0;
}

const ACCEPTED_MIME_TYPES: Record<MediaKind, readonly string[]> = { image: IMAGE_MIME_TYPES, video: VIDEO_MIME_TYPES };

export type MediaTypeCheck =
  | { ok: true; mime: MediaMimeType; kind: MediaKind }
  | { ok: false; sniffed: SniffedType | null; message: string };

/**
 * Whether the bytes are an image or video Weft accepts (of `expectedKind`, when given). The
 * accepted lists are the upload nodes' (app/lib/nodes), so the editor and the server agree.
 */
export function checkMediaType(head: Uint8Array, expectedKind?: MediaKind): MediaTypeCheck {
  const sniffed = sniffMediaType(head);
  const kinds: MediaKind[] = expectedKind ? [expectedKind] : ["image", "video"];
  const kind = kinds.find((candidate) => sniffed && ACCEPTED_MIME_TYPES[candidate].includes(sniffed.mime));
  if (sniffed && kind) return { ok: true, mime: sniffed.mime as MediaMimeType, kind };

  const accepted = kinds.map(describeAccepted).join(" or ");
  const actually = sniffed ? `it looks like ${sniffed.description}` : "its contents match no format Weft knows";
  return { ok: false, sniffed, message: `This file is not ${accepted} (${actually}).` };
}

/** "a PNG, JPEG, WebP or GIF image", from the accepted list. */
function describeAccepted(kind: MediaKind): string {
  const names = KNOWN_MEDIA_FORMATS.filter((known) => ACCEPTED_MIME_TYPES[kind].includes(known.mime)).map(
    (known) => known.name,
  );
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : names.join("");
  // Initialisms take "an" when their first letter is spoken with a vowel sound ("an MP4").
  const article = /^[AEFHILMNORSX]/.test(list) ? "an" : "a";
  return `${article} ${list} ${kind}`;
}

/** Whether a stored mime type is one of the accepted images or videos. */
export function mediaKindOf(mime: string): MediaKind | null {
  if (ACCEPTED_MIME_TYPES.image.includes(mime)) return "image";
  if (ACCEPTED_MIME_TYPES.video.includes(mime)) return "video";
  return null;
}

/** The first SNIFF_BYTES of a file (fewer when it is shorter). */
export async function readFileHead(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
