import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { getStorage } from "~/.server/storage/storage.server";
import { createMediaFixtures, type MediaFixtures } from "~test/media-fixtures";
import { createAssetFromUpload, getAsset, toAssetSummary, type UploadLimits } from "./asset.server";
import { createTestUser } from "~test/users";

let fixtures: MediaFixtures;

beforeAll(async () => {
  fixtures = await createMediaFixtures();
});

afterAll(async () => {
  await fixtures?.remove();
});

const GENEROUS: UploadLimits = { image: 20_000_000, video: 200_000_000 };

async function newUserId() {
  const userId = await createTestUser("assets");
  return userId;
}

async function upload(ownerId: string, tempPath: string, options: { expectedKind?: "image" | "video"; limits?: UploadLimits } = {}) {
  return createAssetFromUpload(
    ownerId,
    { tempPath, originalName: "upload.bin", expectedKind: options.expectedKind },
    options.limits ?? GENEROUS,
  );
}

async function storedBytes(storageKey: string) {
  const local = getStorage().localPath(storageKey);
  if (!local) throw new Error("the tests run with local storage");
  return readFile(local);
}

describe("createAssetFromUpload", () => {
  it("records an image with its type, size, hash and dimensions, and stores its bytes", async () => {
    const ownerId = await newUserId();
    const result = await upload(ownerId, fixtures.png, { expectedKind: "image" });
    if (!result.ok) throw new Error(result.message);

    expect(result.asset).toMatchObject({
      ownerId,
      mime: "image/png",
      bytes: (await stat(fixtures.png)).size,
      width: 320,
      height: 240,
      durationSeconds: null,
      frameRate: null,
      originalName: "upload.bin",
    });
    expect(result.asset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await storedBytes(result.asset.storageKey)).equals(await readFile(fixtures.png))).toBe(true);
  });

  it("records a video's dimensions, duration and frame rate", async () => {
    const result = await upload(await newUserId(), fixtures.mp4);
    if (!result.ok) throw new Error(result.message);
    expect(result.asset).toMatchObject({ mime: "video/mp4", width: 160, height: 120, frameRate: 25 });
    expect(result.asset.durationSeconds).toBeCloseTo(2, 1);
  });

  it("rejects a Windows program named .png, and records nothing", async () => {
    const ownerId = await newUserId();
    const exe = join(fixtures.dir, "holiday.png");
    await writeFile(exe, Buffer.concat([Buffer.from("MZ\x90\0\x03\0", "latin1"), Buffer.alloc(4096, 0x90)]));

    expect(await upload(ownerId, exe, { expectedKind: "image" })).toEqual({
      ok: false,
      reason: "unsupported_type",
      message: "This file is not a PNG, JPEG, WebP or GIF image (it looks like a Windows program).",
    });
    expect(await db.asset.count({ where: { ownerId } })).toBe(0);
  });

  it("rejects a video sent to an image upload", async () => {
    const result = await upload(await newUserId(), fixtures.mp4, { expectedKind: "image" });
    expect(result).toMatchObject({ ok: false, reason: "unsupported_type", message: expect.stringContaining("an MP4 video") });
  });

  it("applies the size limit of the kind the content turns out to be", async () => {
    const ownerId = await newUserId();
    const pngSize = (await stat(fixtures.png)).size;
    const videoSize = (await stat(fixtures.mp4)).size;

    const tightImages = { image: pngSize - 1, video: GENEROUS.video };
    const refused = await upload(ownerId, fixtures.png, { limits: tightImages });
    expect(refused).toMatchObject({ ok: false, reason: "too_large", message: expect.stringMatching(/^This image is .+; images may be at most .+\.$/) });
    expect(await upload(ownerId, fixtures.mp4, { limits: tightImages })).toMatchObject({ ok: true });

    const tightVideos = { image: GENEROUS.image, video: videoSize - 1 };
    expect(await upload(ownerId, fixtures.mp4, { limits: tightVideos })).toMatchObject({ ok: false, reason: "too_large" });
    expect(await upload(ownerId, fixtures.png, { limits: { image: pngSize, video: 1 } })).toMatchObject({ ok: true });
  });

  it("rejects files that start like media but cannot be read", async () => {
    const ownerId = await newUserId();
    const garbagePng = join(fixtures.dir, "garbage.png");
    await writeFile(garbagePng, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 0xab)]));
    expect(await upload(ownerId, garbagePng)).toMatchObject({
      ok: false,
      reason: "unreadable",
      message: expect.stringContaining("This image could not be read; it may be damaged or incomplete."),
    });

    // ffmpeg writes an MP4's index at the end, so the first half of one is unplayable.
    const video = await readFile(fixtures.mp4);
    const truncated = join(fixtures.dir, "truncated.mp4");
    await writeFile(truncated, video.subarray(0, video.length / 2));
    expect(await upload(ownerId, truncated)).toMatchObject({ ok: false, reason: "unreadable" });
    expect(await db.asset.count({ where: { ownerId } })).toBe(0);
  });

  it("gives an owner one asset per content, and stores shared content once", async () => {
    const [first, second] = [await newUserId(), await newUserId()];
    const a = await upload(first, fixtures.jpeg);
    const again = await upload(first, fixtures.jpeg);
    const other = await upload(second, fixtures.jpeg);
    if (!a.ok || !again.ok || !other.ok) throw new Error("upload refused");

    expect(again.asset.id).toBe(a.asset.id);
    expect(await db.asset.count({ where: { ownerId: first } })).toBe(1);
    expect(other.asset.id).not.toBe(a.asset.id);
    expect(other.asset.storageKey).toBe(a.asset.storageKey);
  });
});

describe("getAsset", () => {
  it("finds the owner's asset and nobody else's", async () => {
    const [owner, stranger] = [await newUserId(), await newUserId()];
    const result = await upload(owner, fixtures.gif);
    if (!result.ok) throw new Error(result.message);

    expect((await getAsset(owner, result.asset.id))?.id).toBe(result.asset.id);
    expect(await getAsset(stranger, result.asset.id)).toBeNull();
    expect(await getAsset(owner, "no-such-asset")).toBeNull();
  });
});

describe("toAssetSummary", () => {
  it("is what the upload API answers: the URL the app serves it at, no storage details", async () => {
    const result = await upload(await newUserId(), fixtures.png);
    if (!result.ok) throw new Error(result.message);
    const summary = toAssetSummary(result.asset);

    expect(summary).toEqual({
      id: result.asset.id,
      url: `/files/${result.asset.id}`,
      mime: "image/png",
      bytes: result.asset.bytes,
      sha256: result.asset.sha256,
      width: 320,
      height: 240,
      durationSeconds: null,
      originalName: "upload.bin",
    });
  });
});
