import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGeminiStub, stoppedForSafety, type GeminiStub } from "~test/gemini-stub";
import { isMediaValue, type NodeTaskOutput } from "~workflow/values";
import { retryOnlyWhatMightSucceed } from "./node-task";
import { loadTaskRunFunction, type TaskRunFunction } from "./test-support";

// The generate-image task's own run function in the SDK's mock task context: the real Gemini SDK
// against the local stub, the image stored as the run owner's asset in the test database. The
// environment is set before any module reads it, so app code is imported only after that.

let gemini: GeminiStub;
let generateImage: TaskRunFunction;

beforeAll(async () => {
  gemini = await startGeminiStub();
  process.env.GEMINI_API_KEY = "test-key";
  process.env.GEMINI_BASE_URL = gemini.baseUrl;
  generateImage = await loadTaskRunFunction("generate-image", () => import("./generate-image"));
});

afterEach(() => gemini.reset());

afterAll(async () => {
  await gemini?.close();
});

async function run(params: Record<string, string>) {
  const { createTestUser } = await import("~test/users");
  const ownerId = await createTestUser("generate-image-task");
  const payload = { runId: "run-1", ownerId, nodeId: "generate", params: { model: "gemini-3.1-flash-image", ...params }, inputs: {} };
  const output = await runInMockTaskContext(({ ctx }) => generateImage(payload, { ctx, signal: new AbortController().signal }));
  return { ownerId, output: output as NodeTaskOutput };
}

describe("generate-image task", () => {
  it("returns the generated image, stored as the owner's asset at the aspect ratio asked for, with the model's note", async () => {
    const { ownerId, output } = await run({ prompt: "A lighthouse at dusk.", aspect_ratio: "9:16" });

    expect(output).toEqual({
      outputs: {
        image: expect.objectContaining({ kind: "image", mime: "image/png", width: 768, height: 1344, url: expect.stringMatching(/^\/files\//) }),
        note: "Hello from the Gemini stub.",
      },
      // One image at the size it is priced by, with the tokens Gemini reported for the call.
      usage: [{ model: "gemini-3.1-flash-image", inputTokens: 8, cachedInputTokens: 0, outputTokens: 1290, thinkingTokens: 0, images: { count: 1, size: "1K" } }],
    });
    const image = output.outputs.image;
    if (!isMediaValue(image)) throw new Error("The image output is not a file.");
    const { db } = await import("~/.server/db.server");
    const asset = await db.asset.findUniqueOrThrow({ where: { id: image.assetId } });
    expect(asset).toMatchObject({ ownerId, mime: "image/png", width: 768, height: 1344 });
    expect(gemini.requests.at(-1)?.body.generationConfig).toMatchObject({ imageConfig: { aspectRatio: "9:16" } });
  });

  it("fails a withheld image with the node's message, and without task retries", async () => {
    gemini.program(stoppedForSafety("IMAGE_SAFETY"));

    const failure = await run({ prompt: "Something unsafe." }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: "NodeError", message: "Gemini blocked this request for safety reasons (IMAGE_SAFETY)." });
    expect(retryOnlyWhatMightSucceed({ error: failure })).toEqual({ skipRetrying: true });
  });
});
