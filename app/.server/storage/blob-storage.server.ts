import type { Readable } from "node:stream";

// The storage interface on its own, so its implementations and the factory that picks one
// (storage.server.ts) do not import each other.

/** An inclusive byte range, as HTTP Range headers and S3 count them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file bytes live. Keys are content addresses (see `contentKey`), so writing a key twice
 * stores the same bytes and readers never see a half-written file. Who may read a file is
 * decided by Asset rows, never by knowing a key.
 */
export interface BlobStorage {
  /** Stores a file (by path) or a stream under `key`, replacing whatever was there. */
  put(key: string, source: string | Readable, options: { contentType: string }): Promise<void>;
  /** The stored size, or null when nothing is stored under `key`. */
  stat(key: string): Promise<{ size: number } | null>;
  /** The bytes, or the inclusive `range` of them. Rejects when nothing is stored under `key`. */
  createReadStream(key: string, range?: ByteRange): Promise<Readable>;
  /** The file on this machine holding the bytes, or null when the backend keeps them elsewhere. */
  localPath(key: string): string | null;
  /** Copies the bytes into a local file (created or replaced atomically). */
  downloadToFile(key: string, destination: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The key for bytes with this SHA-256 (hex): `sha256/ab/cd/abcd…`, two levels to keep directories small. */
export function contentKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Not a SHA-256 hex digest: ${sha256}`);
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}
