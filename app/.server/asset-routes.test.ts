// Route modules are tested from here because every file under app/routes becomes a route.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { action as assetsAction, loader as assetsLoader } from "~/routes/api.assets";
import { loader as fileLoader } from "~/routes/files.$assetId";
import { bearerAuth, cookieAuth, respond, TEST_ORIGIN } from "~test/route-helpers";
import { createTestUser } from "~test/users";
import { runFfmpeg } from "~workflow/ffmpeg";
import { db } from "./db.server";

// Small limits, so the 413 paths run without megabytes of test data, and a private temporary
// directory, to see that uploads leave nothing behind. Set before the environment is first read.
const testSetup = vi.hoisted(() => {
  const limits = { image: 20_000, video: 100_000 };
  process.env.MAX_IMAGE_UPLOAD_BYTES = String(limits.image);
  process.env.MAX_VIDEO_UPLOAD_BYTES = String(limits.video);
  return { limits, originalTmpdir: process.env.TMPDIR };
});

let fixturesDir: string;
let uploadTmpdir: string;
const media = { png: "", noisyPng: "", mp4: "" };

beforeAll(async () => {
  fixturesDir = await mkdtemp(join(process.env.TMPDIR ?? "/tmp", "weft-asset-routes-"));
  uploadTmpdir = join(fixturesDir, "tmp");
  await mkdir(uploadTmpdir);
  process.env.TMPDIR = uploadTmpdir;

  const signal = AbortSignal.timeout(30_000);
  media.png = join(fixturesDir, "pattern.png");
  media.noisyPng = join(fixturesDir, "noise.png");
  media.mp4 = join(fixturesDir, "clip.mp4");
  const noisePixels = join(fixturesDir, "noise.rgb");
  await Promise.all([
    runFfmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1", media.png], signal),
    // Random pixels do not compress: about 68 kB, over the image limit and under the video one.
    writeFile(noisePixels, randomBytes(150 * 150 * 3)).then(() =>
      runFfmpeg(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "150x150", "-i", noisePixels, "-frames:v", "1", media.noisyPng], signal),
    ),
    runFfmpeg(
      ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", media.mp4],
      signal,
    ),
  ]);
});

afterAll(async () => {
  // Assigning undefined would store the string "undefined", so the variable is deleted instead.
  if (testSetup.originalTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = testSetup.originalTmpdir;
  await rm(fixturesDir, { recursive: true, force: true });
});

/** A new user and the session cookie headers a browser of theirs would send. */
async function signedIn() {
  const userId = await createTestUser();
  return { userId, auth: await cookieAuth(userId) };
}

function uploadRequest(auth: Record<string, string>, file?: { bytes: Uint8Array; name: string }, kind?: string) {
  const form = new FormData();
  if (kind !== undefined) form.append("kind", kind);
  if (file) form.append("file", new Blob([file.bytes]), file.name);
  return new Request(`${TEST_ORIGIN}/api/assets`, {
    method: "POST",
    headers: { Origin: TEST_ORIGIN, ...auth },
    body: form,
  });
}

async function postAsset(auth: Record<string, string>, file?: { bytes: Uint8Array; name: string }, kind?: string) {
  return respond(() => assetsAction({ request: uploadRequest(auth, file, kind), params: {}, context: {} }));
}

async function fileOf(path: string, name: string) {
  return { bytes: await readFile(path), name };
}

describe("POST /api/assets", () => {
  it("stores an uploaded PNG and answers 201 with its summary", async () => {
    const { userId, auth } = await signedIn();
    const png = await fileOf(media.png, "pattern.png");
    const response = await postAsset(auth, png, "image");

    expect(response.status).toBe(201);
    const { asset } = await response.json();
    expect(asset).toMatchObject({ mime: "image/png", bytes: png.bytes.length, width: 320, height: 240, originalName: "pattern.png" });
    expect(asset.url).toBe(`/files/${asset.id}`);
    expect(await db.asset.findFirst({ where: { id: asset.id, ownerId: userId } })).not.toBeNull();
  });

  it("accepts an API token and a video without a kind field", async () => {
    const auth = await bearerAuth(await createTestUser());
    const response = await postAsset(auth, await fileOf(media.mp4, "clip.mp4"));

    expect(response.status).toBe(201);
    const { asset } = await response.json();
    expect(asset).toMatchObject({ mime: "video/mp4", width: 160, height: 120 });
    expect(asset.durationSeconds).toBeCloseTo(2, 1);
  });

  it("answers 415 for a Windows program named .png, with a message for the node", async () => {
    const { userId, auth } = await signedIn();
    const exe = new Uint8Array(Buffer.concat([Buffer.from("MZ\x90\0\x03\0\0\0", "latin1"), randomBytes(4000)]));
    const response = await postAsset(auth, { bytes: exe, name: "photo.png" }, "image");

    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: {
        code: "unsupported_type",
        message: "This file is not a PNG, JPEG, WebP or GIF image (it looks like a Windows program).",
      },
    });
    expect(await db.asset.count({ where: { ownerId: userId } })).toBe(0);
  });

  it("answers 415 for a video sent as an image", async () => {
    const { auth } = await signedIn();
    const response = await postAsset(auth, await fileOf(media.mp4, "clip.png"), "image");
    expect(response.status).toBe(415);
  });

  it("answers 413 for an image over the image limit, saying the limit", async () => {
    const { auth } = await signedIn();
    const response = await postAsset(auth, await fileOf(media.noisyPng, "noise.png"));

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { code: "too_large", message: expect.stringMatching(/^This image is 6\d(\.\d)? kB; images may be at most 20 kB\.$/) },
    });
  });

  it("cuts off a body over the largest limit while it streams in", async () => {
    const { userId, auth } = await signedIn();
    const huge = { bytes: new Uint8Array(randomBytes(testSetup.limits.video + 50_000)), name: "huge.mp4" };
    const response = await postAsset(auth, huge);

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "too_large", message: expect.stringContaining("100 kB") } });
    // With `kind` sent first, the kind's (smaller) limit cuts it off.
    const image = { bytes: new Uint8Array(randomBytes(testSetup.limits.image + 1)), name: "big.png" };
    expect((await postAsset(auth, image, "image")).status).toBe(413);
    expect(await db.asset.count({ where: { ownerId: userId } })).toBe(0);
  });

  it("answers 400 without a file, or with an empty one, or with an unknown kind", async () => {
    const { auth } = await signedIn();
    const missing = await postAsset(auth, undefined, "image");
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: "missing_file", message: expect.stringContaining("`file`") } });

    expect((await postAsset(auth, { bytes: new Uint8Array(0), name: "" })).status).toBe(400);
    const png = await fileOf(media.png, "pattern.png");
    const badKind = await postAsset(auth, png, "audio");
    expect(badKind.status).toBe(400);
    expect(await badKind.json()).toMatchObject({ error: { message: "The `kind` field must be `image` or `video`." } });
  });

  it("answers 415 to a body that is not multipart", async () => {
    const { auth } = await signedIn();
    const request = new Request(`${TEST_ORIGIN}/api/assets`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "image/png" },
      body: await readFile(media.png),
    });
    expect((await respond(() => assetsAction({ request, params: {}, context: {} }))).status).toBe(415);
  });

  it("answers 400 to a multipart body that ends in the middle of the file", async () => {
    const { auth } = await signedIn();
    const request = new Request(`${TEST_ORIGIN}/api/assets`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "multipart/form-data; boundary=cut" },
      body: '--cut\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG and then nothing',
    });
    const response = await respond(() => assetsAction({ request, params: {}, context: {} }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "malformed_multipart" } });
  });

  it("answers 401 without a session and 405 to other methods", async () => {
    expect((await postAsset({}, await fileOf(media.png, "pattern.png"))).status).toBe(401);
    const get = new Request(`${TEST_ORIGIN}/api/assets`);
    expect((await respond(() => assetsLoader({ request: get, params: {}, context: {} }))).status).toBe(405);
  });

  it("leaves no temporary files behind, whatever the outcome", async () => {
    // Every upload above ran with TMPDIR pointing here.
    expect(await readdir(uploadTmpdir)).toEqual([]);
  });
});

describe("GET /files/:assetId", () => {
  async function uploadedVideo() {
    const owner = await signedIn();
    const response = await postAsset(owner.auth, await fileOf(media.mp4, "clip.mp4"));
    const { asset } = await response.json();
    return { owner, asset: asset as { id: string; sha256: string; bytes: number }, bytes: await readFile(media.mp4) };
  }

  function getFile(assetId: string, headers: Record<string, string>, method = "GET") {
    const request = new Request(`${TEST_ORIGIN}/files/${assetId}`, { method, headers });
    return respond(() => fileLoader({ request, params: { assetId }, context: {} }));
  }

  it("serves the whole file to its owner with type, length, validators and caching", async () => {
    const { owner, asset, bytes } = await uploadedVideo();
    const response = await getFile(asset.id, owner.auth);

    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "video/mp4",
      "content-length": String(bytes.length),
      "accept-ranges": "bytes",
      "cache-control": "private, max-age=31536000, immutable",
      etag: `"${asset.sha256}"`,
      "x-content-type-options": "nosniff",
    });
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("serves a byte range with 206, and an open-ended and a suffix range", async () => {
    const { owner, asset, bytes } = await uploadedVideo();

    const middle = await getFile(asset.id, { ...owner.auth, Range: "bytes=100-1099" });
    expect(middle.status).toBe(206);
    expect(middle.headers.get("content-range")).toBe(`bytes 100-1099/${bytes.length}`);
    expect(middle.headers.get("content-length")).toBe("1000");
    expect(Buffer.from(await middle.arrayBuffer()).equals(bytes.subarray(100, 1100))).toBe(true);

    const tail = await getFile(asset.id, { ...owner.auth, Range: `bytes=${bytes.length - 10}-` });
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(-10))).toBe(true);
    const suffix = await getFile(asset.id, { ...owner.auth, Range: "bytes=-5" });
    expect(suffix.headers.get("content-range")).toBe(`bytes ${bytes.length - 5}-${bytes.length - 1}/${bytes.length}`);
  });

  it("answers 416 for a range past the end", async () => {
    const { owner, asset, bytes } = await uploadedVideo();
    const response = await getFile(asset.id, { ...owner.auth, Range: `bytes=${bytes.length}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
  });

  it("sends the whole file when If-Range names another version, and 304 for a matching If-None-Match", async () => {
    const { owner, asset } = await uploadedVideo();
    const stale = await getFile(asset.id, { ...owner.auth, Range: "bytes=0-9", "If-Range": '"something-else"' });
    expect(stale.status).toBe(200);
    const cached = await getFile(asset.id, { ...owner.auth, "If-None-Match": `"${asset.sha256}"` });
    expect(cached.status).toBe(304);
  });

  it("answers HEAD with the headers and no body", async () => {
    const { owner, asset, bytes } = await uploadedVideo();
    const response = await getFile(asset.id, owner.auth, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(response.body).toBeNull();
  });

  it("answers 404 to anyone but the owner, exactly as for an unknown id", async () => {
    const { asset } = await uploadedVideo();
    const stranger = await signedIn();

    const forStranger = await getFile(asset.id, stranger.auth);
    const anonymous = await getFile(asset.id, {});
    const unknown = await getFile("no-such-asset", stranger.auth);
    for (const response of [forStranger, anonymous, unknown]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: "No file with this id." } });
    }
  });
});
