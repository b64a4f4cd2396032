import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Creates or replaces `destination` so readers see the old file or the whole new one, never a
 * partial write: `write` fills a temporary file beside it (same file system), which is then
 * renamed over it. The temporary file is removed when `write` fails.
 */
export async function writeFileAtomically(destination: string, write: (temporaryPath: string) => Promise<void>) {
  await mkdir(path.dirname(destination), { recursive: true });
  const temporaryPath = `${destination}.${randomBytes(6).toString("hex")}.partial`;
  try {
    await write(temporaryPath);
    await rename(temporaryPath, destination);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
}
