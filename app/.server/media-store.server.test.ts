import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMediaFixtures, type MediaFixtures } from "../../test/media-fixtures";
import { NodeError } from "../../workflow/types";
import { db } from "./db.server";
import { createMediaStore } from "./media-store.server";
import { createAssetFromUpload } from "./models/asset.server";
import { S3Storage } from "./storage/s3-storage.server";

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
  const user = await db.user.create({ data: { email: `media-${randomUUID()}@example.com`, passwordHash: "unused" } });
  return user.id;
}

async function uploaded(ownerId: string, file: string) {
  const result = await createAssetFromUpload(ownerId, { tempPath: file, originalName: null });
  if (!result.ok) throw new Error(result.message);
  return result.asset;
}

describe("createMediaStore over local storage", () => {
  it("resolves the owner's asset to a media value and a local file with its bytes", async () => {
    const ownerId = await newUserId();
    const asset = await uploaded(ownerId, fixtures.png);
    const store = createMediaStore(ownerId);

    const media = await store.getAsset(asset.id, "image");
    expect(media).toEqual({ kind: "image", assetId: asset.id, url: `/files/${asset.id}`, mime: "image/png", sha256: asset.sha256 });
    expect((await readFile(await store.localPath(media))).equals(await readFile(fixtures.png))).toBe(true);
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

    const [first, second] = await Promise.all([store.localPath(saved), store.localPath(saved)]);
    expect(second).toBe(first);
    expect((await readFile(first)).equals(await readFile(fixtures.mp4))).toBe(true);

    // Later calls use the downloaded copy, even when the bucket cannot answer.
    await s3.delete(asset.storageKey);
    expect(await store.localPath(saved)).toBe(first);
  });
});
