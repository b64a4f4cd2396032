import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateVideoNode } from "../nodes/generate-video";
import { probe } from "../ffmpeg";
import type { LlmSettings, NodeCheckpoint } from "../execution";
import type { NodeInputs } from "../values";
import { memoryCheckpoint } from "../run-node";
import { type GeminiStub, startGeminiStub, videoDone, videoOperationError, videoSafetyFiltered } from "~test/gemini-stub";
import { createMediaFixtures, createTestMediaStore, executionContext, type MediaFixtures, type TestMediaStore } from "~test/media-fixtures";
import { generateVideo } from "./generate-video";

const API_KEY = "video-test-key";
let stub: GeminiStub;
let fixtures: MediaFixtures;
let store: TestMediaStore;

beforeAll(async () => {
  [stub, fixtures, store] = await Promise.all([startGeminiStub({ apiKey: API_KEY }), createMediaFixtures(), createTestMediaStore()]);
});

afterAll(async () => {
  await Promise.all([stub?.close(), fixtures?.remove(), store?.remove()]);
});

beforeEach(() => stub.reset());

function run(
  fields: { params?: Record<string, unknown>; inputs?: NodeInputs; checkpoint?: NodeCheckpoint; signal?: AbortSignal; llm?: Partial<LlmSettings> } = {},
) {
  return generateVideo(
    executionContext({
      params: generateVideoNode.params.parse({ prompt: "A lighthouse at dusk, waves below.", ...fields.params }),
      media: store,
      inputs: fields.inputs,
      signal: fields.signal,
      checkpoint: fields.checkpoint,
      llm: { apiKey: API_KEY, baseUrl: stub.baseUrl, operationPolling: { intervalMs: 5, timeoutMs: 10_000 }, ...fields.llm },
    }),
  );
}

describe("generate-video", () => {
  it("starts one Veo operation with the node's settings, polls it until done and stores the video it made", async () => {
    stub.programVideo(videoDone(3));
    const outputs = await run({ params: { duration_seconds: 4, aspect_ratio: "9:16" } });

    expect(stub.videoOperations).toHaveLength(1);
    const [operation] = stub.videoOperations;
    expect(operation.model).toBe("veo-3.1-fast-generate-preview");
    expect(operation.body.instances).toEqual([{ prompt: "A lighthouse at dusk, waves below." }]);
    expect(operation.body.parameters).toEqual({ aspectRatio: "9:16", durationSeconds: 4, resolution: "720p" });
    expect(operation.polls).toBe(3);
    expect(operation.downloads).toBe(1);
    const video = outputs.video;
    expect(video).toMatchObject({ kind: "video", mime: "video/mp4" });
    expect(store.saved).toContainEqual(video);
    const facts = await probe(await store.localPath(store.saved.at(-1)!));
    expect(facts.durationSeconds).toBeCloseTo(4, 0);
  });

  it("keeps the operation in its checkpoint before polling, and a second attempt polls that operation instead of starting another", async () => {
    stub.programVideo(videoDone(4));
    const checkpoint = memoryCheckpoint();
    const first = new AbortController();
    // The first attempt is cut off after its first poll, as a killed process would be.
    const interrupted = run({ checkpoint, signal: first.signal, llm: { operationPolling: { intervalMs: 50, timeoutMs: 10_000 } } });
    await expect.poll(() => stub.videoOperations[0]?.polls ?? 0).toBeGreaterThanOrEqual(1);
    first.abort();
    await expect(interrupted).rejects.toMatchObject({ name: "AbortError" });
    expect(await checkpoint.load()).toMatchObject({ operation: stub.videoOperations[0].name });

    const outputs = await run({ checkpoint });
    expect(stub.videoOperations).toHaveLength(1);
    expect(stub.videoOperations[0].polls).toBe(4);
    expect(outputs.video).toMatchObject({ kind: "video" });
  });

  it("sends a connected image as the first frame", async () => {
    const image = await store.add(fixtures.png, "image");
    await run({ inputs: { image } });
    const sent = stub.videoOperations[0].body.instances?.[0].image;
    expect(sent?.mimeType).toBe("image/png");
    expect(Buffer.from(sent?.bytesBase64Encoded ?? "", "base64").subarray(1, 4).toString()).toBe("PNG");
  });

  it("fails with Google's reason when the video was filtered for safety", async () => {
    stub.programVideo(videoSafetyFiltered());
    await expect(run()).rejects.toThrow(/blocked this video for safety reasons: Your prompt may violate our policies/);
  });

  it("fails with the operation's error when generation failed", async () => {
    stub.programVideo(videoOperationError());
    await expect(run()).rejects.toThrow("Gemini could not make the video: Video generation failed due to an internal error.");
  });

  it("refuses settings the model does not take before paying for anything", async () => {
    await expect(run({ params: { resolution: "1080p", duration_seconds: 4 } })).rejects.toThrow(/1080p videos only 8 seconds long/);
    await expect(run({ params: { duration_seconds: 5 } })).rejects.toThrow(/videos of 4, 6, 8 seconds, not 5/);
    await expect(run({ params: { prompt: "  " } })).rejects.toThrow("Type a prompt or connect a Text node to it.");
    expect(stub.videoOperations).toHaveLength(0);
  });

  it("gives up at the timeout, naming the operation, and stops polling when cancelled", async () => {
    stub.programVideo(videoDone(1_000_000));
    await expect(run({ llm: { operationPolling: { intervalMs: 5, timeoutMs: 100 } } })).rejects.toThrow(/did not finish the video within .* \(operation models\//);
    const cancel = new AbortController();
    const running = run({ signal: cancel.signal });
    await expect.poll(() => stub.videoOperations[1]?.polls ?? 0).toBeGreaterThanOrEqual(1);
    cancel.abort();
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    // A poll already on its way when the run was cancelled may still reach the stand-in; none starts after.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const polls = stub.videoOperations[1].polls;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(stub.videoOperations[1].polls).toBe(polls);
  });
});
