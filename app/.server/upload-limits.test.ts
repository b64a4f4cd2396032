// Route modules are tested from here because every file under app/routes becomes a route.
import { deflateSync } from "node:zlib";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { action as assetsAction } from "~/routes/api.assets";
import { loader as settingsLoader } from "~/routes/settings";
import { cookieAuth, respond, TEST_ORIGIN } from "~test/route-helpers";
import { createTestUser } from "~test/users";
import { runFfmpeg } from "~workflow/ffmpeg";
import { db } from "./db.server";
import { createMediaStore } from "./media-store.server";

// Limits small enough for the sample media to cross them; set before the environment is first read.
vi.hoisted(() => {
  process.env.MAX_IMAGE_PIXELS = String(320 * 240);
  process.env.MAX_VIDEO_PIXELS = String(100 * 100);
  process.env.MAX_VIDEO_DURATION_SECONDS = "1";
  process.env.STORAGE_QUOTA_BYTES = "2000000";
});

let dir: string;
const media = { png: "", bigPng: "", mp4: "", shortSmallMp4: "", longSmallMp4: "" };

beforeAll(async () => {
  dir = await mkdtemp(join(process.env.TMPDIR ?? "/tmp", "weft-upload-limits-"));
  const signal = AbortSignal.timeout(30_000);
  media.png = join(dir, "pattern.png");
  media.bigPng = join(dir, "big.png");
  media.mp4 = join(dir, "clip.mp4");
  media.shortSmallMp4 = join(dir, "short.mp4");
  media.longSmallMp4 = join(dir, "long.mp4");
  const x264 = ["-c:v", "libx264", "-pix_fmt", "yuv420p"];
  await Promise.all([
    runFfmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1", media.png], signal),
    runFfmpeg(["-f", "lavfi", "-i", "testsrc=size=321x240:rate=1", "-frames:v", "1", media.bigPng], signal),
    runFfmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", ...x264, media.mp4], signal),
    runFfmpeg(["-f", "lavfi", "-i", "testsrc=size=96x96:rate=25", "-t", "0.5", ...x264, media.shortSmallMp4], signal),
    runFfmpeg(["-f", "lavfi", "-i", "testsrc=size=96x96:rate=25", "-t", "2", ...x264, media.longSmallMp4], signal),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function upload(auth: Record<string, string>, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), name);
  const request = new Request(`${TEST_ORIGIN}/api/assets`, { method: "POST", headers: auth, body: form });
  return respond(() => assetsAction({ request, params: {}, context: {} }));
}

/**
 * A 16000×16000 PNG in a few hundred bytes: a real header, then only the first rows' pixels.
 * Decoding it would need a gigabyte; its header alone is what an attacker pays for.
 */
function hugePngHeader(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16000, 0);
  ihdr.writeUInt32BE(16000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = deflateSync(Buffer.alloc((16000 * 3 + 1) * 4));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", rows), chunk("IEND", Buffer.alloc(0))]);
}

describe("upload picture and duration limits", () => {
  it("refuses a small file declaring a 16000×16000 picture, without decoding it (422 over_limits)", async () => {
    const auth = await cookieAuth(await createTestUser());
    const response = await upload(auth, hugePngHeader(), "huge.png");
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: "over_limits", message: expect.stringContaining("16000×16000") } });
  });

  it("takes an image at the pixel limit and refuses one pixel column more", async () => {
    const auth = await cookieAuth(await createTestUser());
    expect((await upload(auth, await readFile(media.png), "ok.png")).status).toBe(201);
    const over = await upload(auth, await readFile(media.bigPng), "big.png");
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ error: { code: "over_limits", message: expect.stringContaining("321×240") } });
  });

  it("refuses a video over the resolution or the duration limit", async () => {
    const auth = await cookieAuth(await createTestUser());
    const tooLarge = await upload(auth, await readFile(media.mp4), "clip.mp4");
    expect(tooLarge.status).toBe(422);
    expect(await tooLarge.json()).toMatchObject({ error: { message: expect.stringContaining("160×120") } });
    const tooLong = await upload(auth, await readFile(media.longSmallMp4), "long.mp4");
    expect(tooLong.status).toBe(422);
    expect(await tooLong.json()).toMatchObject({ error: { message: "This video is 2 s long; videos may be at most 1 s." } });
    expect((await upload(auth, await readFile(media.shortSmallMp4), "short.mp4")).status).toBe(201);
  });
});

describe("storage quota", () => {
  it("refuses an upload that would go over the user's quota (413), and shows the usage on the settings page", async () => {
    const userId = await createTestUser();
    const auth = await cookieAuth(userId);
    // Files the user already has: all but 2 kB of the 2 MB quota.
    await db.asset.create({
      data: { ownerId: userId, storageKey: "x", mime: "image/png", bytes: 1_998_000, sha256: "0".repeat(64), width: 1, height: 1 },
    });
    const png = await readFile(media.png);
    expect(png.length).toBeGreaterThan(2_000);
    const refused = await upload(auth, png, "pattern.png");
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: { code: "quota_exceeded", message: expect.stringContaining("quota") } });

    const page = await settingsLoader({ request: new Request(`${TEST_ORIGIN}/settings`, { headers: auth }), params: {}, context: {} });
    expect(page.storage).toEqual({ usedBytes: 1_998_000, quotaBytes: 2_000_000 });
  });

  it("fails a node whose output would go over the quota, with a message, and keeps nothing", async () => {
    const userId = await createTestUser();
    await db.asset.create({
      data: { ownerId: userId, storageKey: "x", mime: "image/png", bytes: 1_999_000, sha256: "1".repeat(64), width: 1, height: 1 },
    });
    const store = createMediaStore(userId);
    const { size } = await stat(media.png);
    await expect(store.saveFile({ path: media.png, kind: "image", mime: "image/png", width: 320, height: 240 })).rejects.toMatchObject({
      name: "NodeError",
      message: expect.stringContaining("storage quota"),
    });
    expect(size).toBeGreaterThan(1000);
    expect(await db.asset.count({ where: { ownerId: userId } })).toBe(1);
  });
});
