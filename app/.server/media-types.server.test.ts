import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMAGE_MIME_TYPES } from "~workflow/nodes/upload-image";
import { VIDEO_MIME_TYPES } from "~workflow/nodes/upload-video";
import { createMediaFixtures, type MediaFixtures } from "~test/media-fixtures";
import { runFfmpeg } from "~workflow/ffmpeg";
import { checkMediaType, mediaKindOf, readFileHead, sniffMediaType } from "./media-types.server";

let fixtures: MediaFixtures;
let videos: { mov: string; m4v: string; webm: string; mkv: string };

beforeAll(async () => {
  fixtures = await createMediaFixtures();
  const clip = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "0.5"];
  const file = (name: string) => join(fixtures.dir, name);
  videos = { mov: file("clip.mov"), m4v: file("clip.m4v"), webm: file("clip.webm"), mkv: file("clip.mkv") };
  const signal = AbortSignal.timeout(30_000);
  await Promise.all([
    runFfmpeg([...clip, "-c:v", "libx264", "-f", "mov", videos.mov], signal),
    // ffmpeg's "ipod" muxer writes the M4V brand iTunes uses.
    runFfmpeg([...clip, "-c:v", "libx264", "-f", "ipod", "-brand", "M4V ", videos.m4v], signal),
    runFfmpeg([...clip, "-c:v", "libvpx", "-f", "webm", videos.webm], signal),
    runFfmpeg([...clip, "-c:v", "libx264", "-f", "matroska", videos.mkv], signal),
  ]);
});

afterAll(async () => {
  await fixtures?.remove();
});

const sniffFile = async (path: string) => sniffMediaType(await readFileHead(path))?.mime;

describe("sniffMediaType", () => {
  it("recognises each accepted image format from real files", async () => {
    expect(await sniffFile(fixtures.png)).toBe("image/png");
    expect(await sniffFile(fixtures.jpeg)).toBe("image/jpeg");
    expect(await sniffFile(fixtures.gif)).toBe("image/gif");
    if (fixtures.webp) expect(await sniffFile(fixtures.webp)).toBe("image/webp");
  });

  it("recognises WebP from its RIFF header even where ffmpeg cannot write one", () => {
    expect(sniffMediaType(Buffer.from("RIFF\x24\0\0\0WEBPVP8 ", "latin1"))?.mime).toBe("image/webp");
    expect(sniffMediaType(Buffer.from("RIFF\x24\0\0\0AVI LIST", "latin1"))?.mime).toBe("video/x-msvideo");
  });

  it("tells the ISO media family apart by the ftyp brands", async () => {
    expect(await sniffFile(fixtures.mp4)).toBe("video/mp4");
    expect(await sniffFile(videos.mov)).toBe("video/quicktime");
    expect(await sniffFile(videos.m4v)).toBe("video/x-m4v");
    expect(sniffMediaType(ftyp("mp42", "isom", "mp42"))?.mime).toBe("video/mp4");
    expect(sniffMediaType(ftyp("avc1", "isom"))?.mime).toBe("video/mp4");
    expect(sniffMediaType(ftyp("heic", "mif1", "heic"))?.mime).toBe("image/heic");
    expect(sniffMediaType(ftyp("avif", "mif1", "miaf"))?.mime).toBe("image/avif");
    expect(sniffMediaType(ftyp("M4A ", "isom", "mp42"))?.mime).toBe("audio/mp4");
    // An unknown major brand falls back to the compatible brands.
    expect(sniffMediaType(ftyp("xyz1", "isom"))?.mime).toBe("video/mp4");
  });

  it("tells WebM from other Matroska files", async () => {
    expect(await sniffFile(videos.webm)).toBe("video/webm");
    expect(await sniffFile(videos.mkv)).toBe("video/x-matroska");
  });

  it("names common files that are not media, for the rejection message", () => {
    const descriptionOf = (bytes: string) => sniffMediaType(Buffer.from(bytes, "latin1"))?.description;
    expect(descriptionOf("MZ\x90\0\x03\0\0\0\x04\0")).toBe("a Windows program");
    expect(descriptionOf("\x7fELF\x02\x01\x01\0")).toBe("a Linux program");
    expect(descriptionOf("%PDF-1.7\n%\xe2\xe3")).toBe("a PDF document");
    expect(descriptionOf("PK\x03\x04\x14\0")).toBe("a ZIP archive or Office document");
    expect(descriptionOf('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')).toBe("an SVG image");
    expect(descriptionOf("just some notes\n")).toBe("a text file");
    expect(sniffMediaType(Buffer.from([0x00, 0x13, 0x37, 0x00, 0xfe]))).toBeNull();
    expect(sniffMediaType(Buffer.alloc(0))).toBeNull();
  });

  it("has a detector for every type the upload nodes accept", () => {
    const headers: Record<string, Buffer> = {
      "image/png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      "image/jpeg": Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      "image/gif": Buffer.from("GIF89a", "latin1"),
      "image/webp": Buffer.from("RIFF\0\0\0\0WEBP", "latin1"),
      "video/mp4": ftyp("isom"),
      "video/quicktime": ftyp("qt  "),
      "video/x-m4v": ftyp("M4V "),
      "video/webm": Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from("\x42\x82\x84webm", "latin1")]),
    };
    for (const mime of [...IMAGE_MIME_TYPES, ...VIDEO_MIME_TYPES]) {
      expect(headers[mime], `a test header for ${mime}`).toBeDefined();
      expect(checkMediaType(headers[mime])).toMatchObject({ ok: true, mime });
    }
  });
});

describe("checkMediaType", () => {
  it("accepts by content whatever the expected kind allows", async () => {
    expect(checkMediaType(await readFileHead(fixtures.png), "image")).toEqual({ ok: true, mime: "image/png", kind: "image" });
    expect(checkMediaType(await readFileHead(fixtures.mp4))).toEqual({ ok: true, mime: "video/mp4", kind: "video" });
  });

  it("rejects a Windows program named photo.png, saying what it looks like", async () => {
    const exe = join(fixtures.dir, "photo.png");
    await writeFile(exe, Buffer.concat([Buffer.from("MZ\x90\0", "latin1"), Buffer.alloc(200, 0x41)]));
    expect(checkMediaType(await readFileHead(exe), "image")).toMatchObject({
      ok: false,
      message: "This file is not a PNG, JPEG, WebP or GIF image (it looks like a Windows program).",
    });
  });

  it("rejects a kind other than the expected one", async () => {
    expect(checkMediaType(await readFileHead(fixtures.png), "video")).toMatchObject({
      ok: false,
      message: "This file is not an MP4, MOV, WebM or M4V video (it looks like a PNG image).",
    });
    expect(checkMediaType(await readFileHead(videos.mkv), "video")).toMatchObject({ ok: false });
  });

  it("lists both kinds when none was expected, and says when nothing matched", () => {
    expect(checkMediaType(Buffer.from([0x00, 0x01, 0x02, 0x03]))).toMatchObject({
      ok: false,
      message:
        "This file is not a PNG, JPEG, WebP or GIF image or an MP4, MOV, WebM or M4V video (its contents match no format Weft knows).",
    });
  });
});

describe("mediaKindOf", () => {
  it("sorts accepted mime types into images and videos", () => {
    expect(mediaKindOf("image/webp")).toBe("image");
    expect(mediaKindOf("video/quicktime")).toBe("video");
    expect(mediaKindOf("application/pdf")).toBeNull();
  });
});

/** An ftyp box: size, "ftyp", major brand, minor version, compatible brands. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32BE(16 + 4 * compatible.length);
  return Buffer.concat([size, Buffer.from(`ftyp${major}\0\0\0\0${compatible.join("")}`, "latin1")]);
}
