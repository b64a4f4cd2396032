import { randomUUID } from "node:crypto";
import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { wait } from "@trigger.dev/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startGeminiStub, videoDone, type GeminiStub } from "~test/gemini-stub";
import { createTestUser } from "~test/users";
import { graphOf, node } from "~workflow/test-support";
import { loadTaskRunFunction, type TaskRunFunction } from "./test-support";

// The generate-video task's own run function in the SDK's mock task context, against the test
// database (where it keeps its checkpoint) and the Gemini stub. `wait.for` is what a deployed
// task suspends on; here it is replaced by a recorder, as there is no Trigger.dev to resume it.

let gemini: GeminiStub;
let generateVideo: TaskRunFunction;

beforeAll(async () => {
  gemini = await startGeminiStub();
  process.env.GEMINI_API_KEY = "test-key";
  process.env.GEMINI_BASE_URL = gemini.baseUrl;
  generateVideo = await loadTaskRunFunction("generate-video", () => import("./generate-video"));
});

afterEach(() => {
  gemini.reset();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await gemini?.close();
});

async function videoRun() {
  // Imported here: app modules read the environment set above when first loaded.
  const { createRun } = await import("~/.server/models/run.server");
  const { createWorkflow } = await import("~/.server/models/workflow.server");
  const ownerId = await createTestUser("video-task");
  const graph = graphOf([node("clip", "generate-video", { prompt: "A kite over a beach.", duration_seconds: 4 })]);
  const workflow = await createWorkflow(ownerId, { name: "Video", graph });
  const created = await createRun(ownerId, workflow.id, { scope: "full" }, {
    kind: "trigger",
    start: async () => ({ engineRunId: `run_${randomUUID()}`, accessToken: "unused", realtimeBaseUrl: null }),
    cancel: async () => {},
    createAccessToken: async () => "unused",
  });
  if (created.status !== "ok") throw new Error(`The run was not created: ${JSON.stringify(created)}`);
  return {
    runId: created.started.run.id,
    ownerId,
    nodeId: "clip",
    params: { model: "veo-3.1-fast-generate-preview", prompt: "A kite over a beach.", aspect_ratio: "16:9", duration_seconds: 4, resolution: "720p" },
    inputs: {},
  };
}

function run(payload: unknown) {
  return runInMockTaskContext(({ ctx }) => generateVideo(payload, { ctx, signal: new AbortController().signal }));
}

describe("generate-video task", () => {
  it("waits between polls with wait.for, one wait at a time, and returns the stored video", async () => {
    gemini.programVideo(videoDone(3));
    const waits: unknown[] = [];
    vi.spyOn(wait, "for").mockImplementation(async (options) => {
      waits.push(options);
    });

    const output = await run(await videoRun());

    expect(output).toEqual({
      outputs: { video: expect.objectContaining({ kind: "video", mime: "video/mp4" }) },
      // Veo bills the seconds made at the resolution asked for.
      usage: [expect.objectContaining({ model: "veo-3.1-fast-generate-preview", video: { seconds: 4, resolution: "720p" } })],
    });
    // Polled three times: two waits between them, each of the configured 10 s default.
    expect(waits).toEqual([{ seconds: 10 }, { seconds: 10 }]);
    expect(gemini.videoOperations).toHaveLength(1);
  });

  it("keeps the operation in the node's row, so a retried attempt polls it instead of starting another", async () => {
    gemini.programVideo(videoDone(3));
    const payload = await videoRun();
    // The first attempt dies in its wait (the worker was lost); the second one's waits pass.
    const forSpy = vi.spyOn(wait, "for").mockRejectedValueOnce(new Error("worker lost")).mockResolvedValue(undefined as never);

    await expect(run(payload)).rejects.toThrow("worker lost");
    const { db } = await import("~/.server/db.server");
    const row = await db.nodeExecution.findUniqueOrThrow({ where: { runId_nodeId: { runId: payload.runId, nodeId: "clip" } } });
    expect(row.checkpoint).toMatchObject({ operation: gemini.videoOperations[0].name });

    // The retried attempt hands back the one video it got, once: the attempt that died reported nothing.
    await expect(run(payload)).resolves.toEqual({
      outputs: { video: expect.objectContaining({ kind: "video" }) },
      usage: [expect.objectContaining({ video: { seconds: 4, resolution: "720p" } })],
    });
    expect(gemini.videoOperations).toHaveLength(1);
    expect(gemini.videoOperations[0].polls).toBe(3);
    expect(forSpy).toHaveBeenCalledTimes(2);
  });
});
