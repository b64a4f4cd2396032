import { chmod, lstat, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createMediaFixtures, type MediaFixtures } from "~test/media-fixtures";
import { probe } from "~workflow/ffmpeg";
import { NodeError } from "~workflow/execution";
import { db } from "./db.server";
import { createMediaStore, downloadCacheDir, privateDirectory } from "./media-store.server";
import { createAssetFromUpload, getAsset } from "./models/asset.server";
import { S3Storage } from "./storage/s3-storage.server";
import { createTestUser } from "~test/users";

// The real probe, watched: an image saved with its size is not probed.
vi.mock(import("~workflow/ffmpeg"), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, probe: vi.fn(actual.probe) };
});

// The real row lookup, watched: a store reads each of its rows once.
vi.mock(import("./models/asset.server"), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, getAsset: vi.fn(actual.getAsset) };
});

let fixtures: MediaFixtures;
let s3Dir: string;
let s3rver: S3rver;
let s3: S3Storage;

beforeAll(async () => {
  fixtures = await createMediaFixtures();
  s3Dir = await mkdtemp(path.join(tmpdir(), "weft-s3rver-"));
  s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: "media" }] });
  const { port } = await s3rver.run();
  s3 = new S3Storage({
    bucket: "media",
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
});

afterAll(async () => {
  await s3rver?.close();
  await Promise.all([fixtures?.remove(), s3Dir && rm(s3Dir, { recursive: true, force: true })]);
});

async function newUserId() {
  const userId = await createTestUser("media");
  return userId;
}

async function uploaded(ownerId: string, file: string) {
  const result = await createAssetFromUpload(ownerId, { tempPath: file, originalName: null });
  if (!result.ok) throw new Error(result.message);
  return result.asset;
}

describe("createMediaStore over local storage", () => {
  it("resolves the owner's asset to a media value with its recorded size, and a local file with its bytes", async () => {
    const ownerId = await newUserId();
    const asset = await uploaded(ownerId, fixtures.png);
    const store = createMediaStore(ownerId);

    const media = await store.getAsset(asset.id, "image");
    expect(media).toEqual({
      kind: "image",
      assetId: asset.id,
      url: `/files/${asset.id}`,
      mime: "image/png",
      sha256: asset.sha256,
      width: 320,
      height: 240,
    });
    expect((await readFile(await store.localPath(media))).equals(await readFile(fixtures.png))).toBe(true);
  });

  it("gives a video's duration and frame rate with it", async () => {
    const ownerId = await newUserId();
    const asset = await uploaded(ownerId, fixtures.mp4);
    const media = await createMediaStore(ownerId).getAsset(asset.id, "video");
    expect(media).toMatchObject({ kind: "video", width: 160, height: 120, frameRate: 25 });
    expect(media.durationSeconds).toBeCloseTo(2, 1);
  });

  it("leaves out what an older asset row does not record, so executors probe its file", async () => {
    const ownerId = await newUserId();
    const asset = await uploaded(ownerId, fixtures.mp4);
    await db.asset.update({ where: { id: asset.id }, data: { frameRate: null } });
    const media = await createMediaStore(ownerId).getAsset(asset.id, "video");
    expect(media).not.toHaveProperty("frameRate");
  });

  it("answers another owner's asset, a missing one and the wrong kind with a NodeError", async () => {
    const ownerId = await newUserId();
    const image = await uploaded(ownerId, fixtures.png);
    const stranger = createMediaStore(await newUserId());

    await expect(stranger.getAsset(image.id, "image")).rejects.toThrow(NodeError);
    await expect(stranger.getAsset(image.id, "image")).rejects.toThrow("no longer exists");
    await expect(createMediaStore(ownerId).getAsset("missing", "video")).rejects.toThrow(NodeError);
    await expect(createMediaStore(ownerId).getAsset(image.id, "video")).rejects.toThrow(
      "This node needs a video, but its file is image/png.",
    );
    const media = await createMediaStore(ownerId).getAsset(image.id, "image");
    await expect(stranger.localPath(media)).rejects.toThrow(NodeError);
  });

  it("finds the file of an asset it has read or saved without reading its row again", async () => {
    const ownerId = await newUserId();
    const image = await uploaded(ownerId, fixtures.png);
    const store = createMediaStore(ownerId);
    const media = await store.getAsset(image.id, "image");
    const saved = await store.saveFile({ path: fixtures.jpeg, mime: "image/jpeg", kind: "image" });

    vi.mocked(getAsset).mockClear();
    expect(await store.localPath(media)).toBe(await createMediaStore(ownerId).localPath(media));
    await store.localPath(saved);
    // Only the fresh store read the row.
    expect(getAsset).toHaveBeenCalledTimes(1);
  });

  it("saves an executor's output as a new asset of the owner, probed", async () => {
    const ownerId = await newUserId();
    const store = createMediaStore(ownerId);
    const saved = await store.saveFile({ path: fixtures.jpeg, mime: "image/jpeg", kind: "image" });

    const asset = await db.asset.findUniqueOrThrow({ where: { id: saved.assetId } });
    expect(asset).toMatchObject({ ownerId, mime: "image/jpeg", width: 320, height: 240, sha256: saved.sha256 });
    expect(saved).toMatchObject({ kind: "image", url: `/files/${asset.id}`, mime: "image/jpeg" });
    // The same output again (a re-run) is the same asset.
    expect((await store.saveFile({ path: fixtures.jpeg, mime: "image/jpeg", kind: "image" })).assetId).toBe(saved.assetId);
  });

  it("saves an image of the size the executor states without probing it", async () => {
    const ownerId = await newUserId();
    vi.mocked(probe).mockClear();
    const saved = await createMediaStore(ownerId).saveFile({ path: fixtures.png, mime: "image/png", kind: "image", width: 320, height: 240 });
    expect(probe).not.toHaveBeenCalled();
    expect(saved).toMatchObject({ width: 320, height: 240 });
    expect(await db.asset.findUniqueOrThrow({ where: { id: saved.assetId } })).toMatchObject({ ownerId, width: 320, height: 240 });
  });

  it("refuses to save an output ffprobe cannot read", async () => {
    const store = createMediaStore(await newUserId());
    const notAnImage = path.join(fixtures.dir, "not-an-image.png");
    await writeFile(notAnImage, "not an image");
    await expect(store.saveFile({ path: notAnImage, mime: "image/png", kind: "image" })).rejects.toThrow(NodeError);
  });
});

describe("createMediaStore over S3", () => {
  it("stores outputs in the bucket and downloads each file once for ffmpeg", async () => {
    const ownerId = await newUserId();
    const store = createMediaStore(ownerId, s3);
    const saved = await store.saveFile({ path: fixtures.mp4, mime: "video/mp4", kind: "video" });
    const asset = await db.asset.findUniqueOrThrow({ where: { id: saved.assetId } });
    expect(await s3.stat(asset.storageKey)).toEqual({ size: asset.bytes });
    expect(asset.durationSeconds).toBeCloseTo(2, 1);
    expect(asset.frameRate).toBe(25);

    const [first, second] = await Promise.all([store.localPath(saved), store.localPath(saved)]);
    expect(second).toBe(first);
    expect((await readFile(first)).equals(await readFile(fixtures.mp4))).toBe(true);

    // Later calls use the downloaded copy, even when the bucket cannot answer.
    await s3.delete(asset.storageKey);
    expect(await store.localPath(saved)).toBe(first);
  });
});

describe("the S3 download cache directory", () => {
  it("is a directory only this user can enter, and a loosened or foreign one is not used", async () => {
    const base = await mkdtemp(path.join(tmpdir(), "weft-cache-base-"));
    try {
      const dir = await privateDirectory(base);
      const info = await lstat(dir);
      expect(info.isDirectory()).toBe(true);
      expect(info.mode & 0o777).toBe(0o700);
      expect(info.uid).toBe(process.getuid!());
      expect(await privateDirectory(base)).toBe(dir);

      // Someone loosened it (or made it first, open to all): a fresh private one is used instead.
      await chmod(dir, 0o777);
      const fresh = await privateDirectory(base);
      expect(fresh).not.toBe(dir);
      expect((await lstat(fresh)).mode & 0o777).toBe(0o700);

      // A symlink planted under the name leads nowhere either.
      await rm(dir, { recursive: true });
      await symlink(base, dir);
      expect(await privateDirectory(base)).not.toBe(dir);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it("is not the shared path of earlier versions", async () => {
    expect(await downloadCacheDir()).not.toBe(path.join(tmpdir(), "weft-media-cache"));
  });
});
