import { createWriteStream } from "node:fs";
import { copyFile, open, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { writeFileAtomically } from "./atomic-file.server";
import type { BlobStorage, ByteRange } from "./blob-storage.server";

/** Files on this machine's disk, one file per key under `root` (`<WEFT_DATA_DIR>/files`). */
export class LocalStorage implements BlobStorage {
  constructor(private readonly root: string) {}

  async put(key: string, source: string | Readable): Promise<void> {
    // The content type lives on the Asset row; a file system has nowhere to keep it.
    await writeFileAtomically(this.pathOf(key), (temporaryPath) =>
      typeof source === "string" ? copyFile(source, temporaryPath) : pipeline(source, createWriteStream(temporaryPath)),
    );
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(key))).size };
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
  }

  async createReadStream(key: string, range?: ByteRange): Promise<Readable> {
    // Opened first so a missing file rejects here rather than as a stream error mid-response.
    const handle = await open(this.pathOf(key), "r");
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  localPath(key: string): string {
    return this.pathOf(key);
  }

  async downloadToFile(key: string, destination: string): Promise<void> {
    await writeFileAtomically(destination, (temporaryPath) => copyFile(this.pathOf(key), temporaryPath));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    // Keys are made by contentKey; refusing anything else keeps a bad key from escaping the root.
    if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(key)) throw new Error(`Invalid storage key: ${key}`);
    return path.join(this.root, key);
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
