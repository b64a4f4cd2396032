import { open } from "node:fs/promises";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The signature, the IHDR chunk's length and type, then its width and height (4 bytes each). */
const HEADER_BYTES = 24;

/** The size a PNG's header states (IHDR is always its first chunk), or null when the bytes do not start a PNG. */
export function pngSize(head: Buffer): { width: number; height: number } | null {
  if (head.length < HEADER_BYTES || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (head.toString("latin1", 12, 16) !== "IHDR") return null;
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

/** The size of the PNG at `path`, or null when there is no such file, it is empty, or it is no PNG. */
export async function readPngSize(path: string): Promise<{ width: number; height: number } | null> {
  const file = await open(path, "r").catch((error: unknown) => {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    throw error;
  });
  if (!file) return null;
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await file.read(head, 0, HEADER_BYTES, 0);
    return pngSize(head.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
