import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStorage } from "./local-storage.server";
import { S3Storage } from "./s3-storage.server";
import { type BlobStorage, contentKey } from "./blob-storage.server";

let workDir: string;
let s3rver: S3rver;
let s3Endpoint: string;
const BUCKET = "weft-test";

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "weft-storage-test-"));
  s3rver = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: path.join(workDir, "s3rver"),
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await s3rver.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await s3rver?.close();
  await rm(workDir, { recursive: true, force: true });
});

const backends: Array<[string, () => BlobStorage]> = [
  ["local disk", () => new LocalStorage(path.join(workDir, "files"))],
  [
    "S3 (s3rver)",
    () =>
      new S3Storage({
        bucket: BUCKET,
        region: "us-east-1",
        endpoint: s3Endpoint,
        forcePathStyle: true,
        // s3rver checks signatures against these fixed credentials.
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      }),
  ],
];

/** A file with known, distinct bytes, stored under its content key. */
async function sampleFile(size = 100_000) {
  const bytes = randomBytes(size);
  const file = path.join(workDir, `sample-${randomBytes(4).toString("hex")}`);
  await writeFile(file, bytes);
  const key = contentKey(createHash("sha256").update(bytes).digest("hex"));
  return { bytes, file, key };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.each(backends)("%s storage", (_name, createStorage) => {
  it("stores a file and reads it back whole", async () => {
    const storage = createStorage();
    const { bytes, file, key } = await sampleFile();
    await storage.put(key, file, { contentType: "image/png" });

    expect(await storage.stat(key)).toEqual({ size: bytes.length });
    expect((await readAll(await storage.createReadStream(key))).equals(bytes)).toBe(true);
  });

  it("reads an inclusive byte range", async () => {
    const storage = createStorage();
    const { bytes, file, key } = await sampleFile();
    await storage.put(key, file, { contentType: "video/mp4" });

    const slice = await readAll(await storage.createReadStream(key, { start: 1000, end: 1999 }));
    expect(slice.equals(bytes.subarray(1000, 2000))).toBe(true);
    const last = await readAll(await storage.createReadStream(key, { start: bytes.length - 1, end: bytes.length - 1 }));
    expect([...last]).toEqual([bytes[bytes.length - 1]]);
  });

  it("stores a stream", async () => {
    const storage = createStorage();
    const { bytes, key } = await sampleFile();
    await storage.put(key, Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]), { contentType: "image/png" });
    expect((await readAll(await storage.createReadStream(key))).equals(bytes)).toBe(true);
  });

  it("answers null and rejects for a key that holds nothing", async () => {
    const storage = createStorage();
    const { key } = await sampleFile(10);
    expect(await storage.stat(key)).toBeNull();
    await expect(storage.createReadStream(key)).rejects.toThrow();
  });

  it("downloads to a local file and deletes", async () => {
    const storage = createStorage();
    const { bytes, file, key } = await sampleFile();
    await storage.put(key, file, { contentType: "image/png" });

    const copy = path.join(workDir, `copy-${randomBytes(4).toString("hex")}`, "file");
    await storage.downloadToFile(key, copy);
    expect((await readFile(copy)).equals(bytes)).toBe(true);

    await storage.delete(key);
    expect(await storage.stat(key)).toBeNull();
    await storage.delete(key);
  });
});

describe("local disk storage", () => {
  it("lays files out by content address and writes them atomically, leaving no partial files", async () => {
    const root = path.join(workDir, "layout");
    const storage = new LocalStorage(root);
    const { bytes, file, key } = await sampleFile();
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    expect(key).toBe(`sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);

    await storage.put(key, file, { contentType: "image/png" });
    await storage.put(key, file, { contentType: "image/png" });

    const directory = path.join(root, "sha256", sha256.slice(0, 2), sha256.slice(2, 4));
    expect(await readdir(directory)).toEqual([sha256]);
    expect(storage.localPath(key)).toBe(path.join(directory, sha256));
    expect((await readFile(storage.localPath(key))).equals(bytes)).toBe(true);
  });

  it("removes the partial file when writing fails", async () => {
    const root = path.join(workDir, "failing");
    const storage = new LocalStorage(root);
    const { key } = await sampleFile(10);
    const failing = new Readable({
      read() {
        this.destroy(new Error("connection lost"));
      },
    });
    await expect(storage.put(key, failing, { contentType: "image/png" })).rejects.toThrow("connection lost");
    expect(await storage.stat(key)).toBeNull();
    expect(await readdir(path.dirname(storage.localPath(key)))).toEqual([]);
  });

  it("refuses keys that could leave its directory", async () => {
    const storage = new LocalStorage(path.join(workDir, "strict"));
    await expect(storage.stat("../outside")).rejects.toThrow("Invalid storage key");
    expect(() => storage.localPath("/etc/passwd")).toThrow("Invalid storage key");
  });
});

describe("S3 storage", () => {
  it("keeps no local copy: localPath is null, so callers download", async () => {
    const storage = backends[1][1]();
    const { key, file } = await sampleFile(10);
    await storage.put(key, file, { contentType: "image/png" });
    expect(storage.localPath(key)).toBeNull();
    expect(await storage.stat(key)).toEqual({ size: 10 });
  });
});
