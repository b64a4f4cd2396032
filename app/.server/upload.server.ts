import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { formatBytes } from "~workflow/format-bytes";
import { apiError } from "./http.server";
import type { MediaKind } from "~workflow/values";
import type { UploadLimits } from "./models/asset.server";

export interface ReceivedUpload {
  /** The uploaded bytes, in a temporary file that is removed once the handler returns. */
  tempPath: string;
  /** The name the client gave the file; informational only, it decides nothing. */
  originalName: string | null;
  /** The `kind` field, when the client said what it is uploading. */
  expectedKind?: MediaKind;
}

const KindFieldSchema = z.enum(["image", "video"], { error: "The `kind` field must be `image` or `video`." });

/** Room for multipart boundaries and part headers on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** Longer client-side names are cut; the name is only shown, never used as a path. */
const MAX_FILE_NAME_LENGTH = 255;
/** Text fields are a word long; anything bigger is not a field this endpoint reads. */
const MAX_TEXT_FIELD_BYTES = 1024;

/**
 * Streams a multipart request's `file` field to a temporary file, never holding it in memory,
 * and hands it to `handle`. Bodies over the size limit are cut off with a 413 as soon as the
 * limit is passed: the kind's limit when a `kind` field came first, else the larger one (the
 * exact limit is applied once the file's type is known). The file is removed afterwards,
 * whatever happens.
 */
export async function withUploadedFile<T>(
  request: Request,
  limits: UploadLimits,
  handle: (upload: ReceivedUpload) => Promise<T>,
): Promise<T> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw apiError(415, "unsupported_media_type", "Send the file as multipart/form-data, in the field `file`.");
  }
  const largest = Math.max(limits.image, limits.video);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > largest + MULTIPART_OVERHEAD_BYTES) throw tooLarge(largest, limits);

  const directory = await mkdtemp(path.join(tmpdir(), "weft-upload-"));
  try {
    const upload = await receiveParts(request, directory, limits);
    return await handle(upload);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function receiveParts(request: Request, directory: string, limits: UploadLimits): Promise<ReceivedUpload> {
  let file: { tempPath: string; originalName: string | null } | undefined;
  let kindField: string | undefined;
  let received = 0;
  // Errors of our own (disk full, …) are not the client's fault: they must not become a 400 below.
  let ownError: unknown;

  const maxBytes = () => {
    const kind = KindFieldSchema.safeParse(kindField);
    return kind.success ? limits[kind.data] : Math.max(limits.image, limits.video);
  };
  async function* counted(data: AsyncIterable<Uint8Array>) {
    const chunks = data[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await chunks.next();
      } catch (error) {
        // The parser reads the body as parts are consumed, so a broken body surfaces here.
        throw malformedBody(error);
      }
      if (next.done) return;
      received += next.value.byteLength;
      if (received > maxBytes()) throw tooLarge(maxBytes(), limits);
      yield next.value;
    }
  }

  const handler = async (part: UploadHandlerPart) => {
    try {
      if (part.name === "file" && part.filename !== undefined) {
        if (file) throw apiError(400, "too_many_files", "Send one file per request, in the field `file`.");
        const tempPath = path.join(directory, "upload");
        await pipeline(Readable.from(counted(part.data)), createWriteStream(tempPath));
        file = { tempPath, originalName: part.filename ? part.filename.slice(0, MAX_FILE_NAME_LENGTH) : null };
      } else {
        // Every part is read to its end: the parser would otherwise buffer it in memory.
        const text = await readTextField(counted(part.data));
        if (part.name === "kind") kindField = text.trim();
      }
    } catch (error) {
      ownError = error;
      throw error;
    }
    // The parts are kept here rather than in the FormData, which would want the file in memory.
    return undefined;
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error === ownError || error instanceof Response) throw error;
    throw malformedBody(error);
  }

  const kind = kindField === undefined ? undefined : KindFieldSchema.safeParse(kindField);
  if (kind && !kind.success) throw apiError(400, "invalid_request", kind.error.issues[0].message);
  if (!file || (await stat(file.tempPath)).size === 0) {
    throw apiError(400, "missing_file", "Attach a non-empty file in the multipart field `file`.");
  }
  return { ...file, expectedKind: kind?.data };
}

async function readTextField(data: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of data) {
    length += chunk.byteLength;
    if (length > MAX_TEXT_FIELD_BYTES) {
      throw apiError(400, "invalid_request", `Form fields other than \`file\` may be at most ${MAX_TEXT_FIELD_BYTES} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number, limits: UploadLimits) {
  return apiError(
    413,
    "too_large",
    `The file is larger than ${formatBytes(maxBytes)}. Images may be at most ${formatBytes(limits.image)}, videos ${formatBytes(limits.video)}.`,
  );
}

function malformedBody(error: unknown) {
  const reason = error instanceof Error ? error.message : String(error);
  return apiError(400, "malformed_multipart", `The multipart request body could not be read: ${reason}`);
}
