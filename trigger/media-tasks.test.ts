import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { createMediaStore } from "~/.server/media-store.server";
import { createAssetFromUpload } from "~/.server/models/asset.server";
import { createMediaFixtures, type MediaFixtures } from "~test/media-fixtures";
import { type MediaValue, type NodeTaskOutput } from "~workflow/values";
import { NodeError } from "~workflow/execution";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed } from "./node-task";
import { loadTaskRunFunction, type TaskRunFunction } from "./test-support";
import { createTestUser } from "~test/users";

// The node tasks' (crop, frame, resize, trim, concat) own run functions in the SDK's mock task context:
// real ffmpeg on small generated media, files stored and recorded as the run owner's assets.

let fixtures: MediaFixtures;
let cropImage: TaskRunFunction;
let extractFrame: TaskRunFunction;
let resizeImage: TaskRunFunction;
let trimVideo: TaskRunFunction;
let concatVideos: TaskRunFunction;

beforeAll(async () => {
  fixtures = await createMediaFixtures();
  cropImage = await loadTaskRunFunction("crop-image", () => import("./crop-image"));
  extractFrame = await loadTaskRunFunction("extract-frame", () => import("./extract-frame"));
  resizeImage = await loadTaskRunFunction("resize-image", () => import("./resize-image"));
  trimVideo = await loadTaskRunFunction("trim-video", () => import("./trim-video"));
  concatVideos = await loadTaskRunFunction("concat-videos", () => import("./concat-videos"));
});

afterAll(async () => {
  await fixtures?.remove();
});

async function ownerWithUpload(file: string, kind: MediaValue["kind"]) {
  const ownerId = await createTestUser("media-task");
  const upload = await createAssetFromUpload(ownerId, { tempPath: file, originalName: null });
  if (!upload.ok) throw new Error(upload.message);
  return { ownerId: ownerId, media: await createMediaStore(ownerId).getAsset(upload.asset.id, kind) };
}

/** Runs the task and returns its node's outputs. */
async function run(task: TaskRunFunction, payload: unknown) {
  const output = (await runInMockTaskContext(({ ctx }) => task(payload, { ctx, signal: new AbortController().signal }))) as NodeTaskOutput;
  // ffmpeg's work calls nothing paid: the task hands back no usage to price.
  expect(output.usage).toEqual([]);
  return output.outputs;
}

describe("crop-image task", () => {
  it("crops the owner's image and returns the new image, stored as the owner's asset", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.png, "image");

    const outputs = await run(cropImage, {
      runId: "run-1",
      ownerId,
      nodeId: "crop",
      params: { x_percent: 25, y_percent: 50, width_percent: 50, height_percent: 50 },
      inputs: { image_url: media },
    });

    expect(outputs).toEqual({
      output: {
        kind: "image",
        assetId: expect.any(String),
        url: expect.stringMatching(/^\/files\//),
        mime: "image/png",
        sha256: expect.any(String),
        width: 160,
        height: 120,
      },
    });
    const { output } = outputs as { output: MediaValue };
    const asset = await db.asset.findUniqueOrThrow({ where: { id: output.assetId } });
    expect(asset).toMatchObject({ ownerId, width: 160, height: 120, mime: "image/png", sha256: output.sha256 });
  });

  it("refuses a crop reaching past the image before running anything", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.png, "image");
    const payload = {
      runId: "run-1",
      ownerId,
      nodeId: "crop",
      params: { x_percent: 60, y_percent: 0, width_percent: 50, height_percent: 100 },
      inputs: { image_url: media },
    };

    await expect(run(cropImage, payload)).rejects.toThrow(/width_percent/);
  });

  it("fails with the node's message, and without retries, when no image is connected", async () => {
    const ownerId = await createTestUser("media-task");
    const payload = { runId: "run-1", ownerId: ownerId, nodeId: "crop", params: {}, inputs: {} };

    const error = await run(cropImage, payload).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ message: "Connect an image to this node." });
    expect(retryOnlyWhatMightSucceed({ error })).toEqual({ skipRetrying: true });
  });
});

describe("extract-frame task", () => {
  it("takes the frame at a share of the video's duration as the owner's new image", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.mp4, "video");

    const outputs = await run(extractFrame, {
      runId: "run-1",
      ownerId,
      nodeId: "frame",
      params: { timestamp: "50%" },
      inputs: { video_url: media },
    });

    const { output } = outputs as { output: MediaValue };
    expect(output).toMatchObject({ kind: "image", mime: expect.stringMatching(/^image\//) });
    const asset = await db.asset.findUniqueOrThrow({ where: { id: output.assetId } });
    expect(asset).toMatchObject({ ownerId, width: 160, height: 120 });
  });

  it("receives the video with its stored duration and frame rate, so it need not probe the file", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.mp4, "video");
    const payload = { runId: "run-1", ownerId, nodeId: "frame", params: { timestamp: "50%" }, inputs: { video_url: media } };

    const parsed = nodeTaskPayloadSchema("extract-frame").parse(payload);
    expect(parsed.inputs.video_url).toEqual(media);
    expect(media).toMatchObject({ width: 160, height: 120, frameRate: 25, durationSeconds: expect.any(Number) });

    // A value stored before these facts were recorded still reaches the task (which probes then).
    const { kind, assetId, url, mime, sha256 } = media;
    const older = nodeTaskPayloadSchema("extract-frame").parse({ ...payload, inputs: { video_url: { kind, assetId, url, mime, sha256 } } });
    expect(older.inputs.video_url).toEqual({ kind, assetId, url, mime, sha256 });
  });
});

describe("resize-image task", () => {
  it("resizes the owner's image to the box asked for and stores it as the owner's asset in the format asked for", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.png, "image");

    const outputs = await run(resizeImage, {
      runId: "run-1",
      ownerId,
      nodeId: "resize",
      params: { width: 100, height: 100, fit: "cover", format: "jpeg" },
      inputs: { image_url: media },
    });

    const { output } = outputs as { output: MediaValue };
    expect(output).toMatchObject({ kind: "image", mime: "image/jpeg", width: 100, height: 100 });
    const asset = await db.asset.findUniqueOrThrow({ where: { id: output.assetId } });
    expect(asset).toMatchObject({ ownerId, width: 100, height: 100, mime: "image/jpeg", sha256: output.sha256 });
  });

  it("fails with the node's message, and without retries, when both sides are empty", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.png, "image");
    const payload = { runId: "run-1", ownerId, nodeId: "resize", params: { width: "", height: "" }, inputs: { image_url: media } };

    const error = await run(resizeImage, payload).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ message: expect.stringMatching(/^Give a width, a height or both/) });
    expect(retryOnlyWhatMightSucceed({ error })).toEqual({ skipRetrying: true });
  });
});

describe("trim-video task", () => {
  it("cuts the owner's video and stores the part kept as the owner's asset, with its duration", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.mp4, "video");

    const outputs = await run(trimVideo, {
      runId: "run-1",
      ownerId,
      nodeId: "trim",
      params: { start: "25%", end: 1.5 },
      inputs: { video_url: media },
    });

    const { output } = outputs as { output: MediaValue };
    expect(output).toMatchObject({ kind: "video", mime: "video/mp4", width: 160, height: 120, frameRate: 25 });
    const asset = await db.asset.findUniqueOrThrow({ where: { id: output.assetId } });
    expect(asset).toMatchObject({ ownerId, width: 160, height: 120, mime: "video/mp4", sha256: output.sha256 });
    expect(Math.abs((asset.durationSeconds ?? 0) - 1)).toBeLessThanOrEqual(0.1);
  });

  it("fails with the node's message, and without retries, when the end is not after the start", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.mp4, "video");
    const payload = { runId: "run-1", ownerId, nodeId: "trim", params: { start: 1, end: "25%" }, inputs: { video_url: media } };

    const error = await run(trimVideo, payload).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ message: "End (0.5 s) must come after start (1.0 s)." });
    expect(retryOnlyWhatMightSucceed({ error })).toEqual({ skipRetrying: true });
  });
});

describe("concat-videos task", () => {
  it("joins the owner's videos in the order given and stores the result as the owner's asset", async () => {
    const { ownerId, media } = await ownerWithUpload(fixtures.mp4, "video");

    const outputs = await run(concatVideos, {
      runId: "run-1",
      ownerId,
      nodeId: "join",
      params: {},
      inputs: { videos: [media, media] },
    });

    const { output } = outputs as { output: MediaValue };
    expect(output).toMatchObject({ kind: "video", mime: "video/mp4", width: 160, height: 120, frameRate: 25 });
    const asset = await db.asset.findUniqueOrThrow({ where: { id: output.assetId } });
    expect(asset).toMatchObject({ ownerId, width: 160, height: 120, mime: "video/mp4", sha256: output.sha256 });
    expect(Math.abs((asset.durationSeconds ?? 0) - 4)).toBeLessThanOrEqual(0.15);
  });
});

describe("retryOnlyWhatMightSucceed", () => {
  it("retries errors that might pass on another attempt", () => {
    expect(retryOnlyWhatMightSucceed({ error: new NodeError("Gemini is busy; tried 3 times.", true) })).toBeUndefined();
    expect(retryOnlyWhatMightSucceed({ error: new Error("connect ECONNRESET") })).toBeUndefined();
  });
});
