import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { streams } from "@trigger.dev/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LLM_TEXT_STREAM_KEY, type LlmTextChunk } from "~/lib/llm-text-stream";
import { invalidApiKey, startGeminiStub, textReply, type GeminiStub } from "~test/gemini-stub";
import { loadTaskRunFunction, type TaskRunFunction } from "./test-support";

// The run-llm task's own run function in the SDK's mock task context, with the real Gemini SDK
// talking to a local stub. The environment is set before any module reads it, so nothing here
// imports app code statically.

let gemini: GeminiStub;
let runLlm: TaskRunFunction;

beforeAll(async () => {
  gemini = await startGeminiStub();
  process.env.GEMINI_API_KEY = "test-key";
  process.env.GEMINI_BASE_URL = gemini.baseUrl;
  runLlm = await loadTaskRunFunction("run-llm", () => import("./run-llm"));
});

afterEach(() => {
  gemini.reset();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await gemini?.close();
});

const payload = {
  runId: "run-1",
  ownerId: "owner-1",
  nodeId: "llm",
  params: { model: "gemini-2.5-flash", system_prompt: "Be brief.", user_message: "Describe the product." },
  inputs: {},
};

/** Runs the task and returns its output with every chunk it wrote to its parent's LLM text stream. */
function runCollectingText() {
  return runInMockTaskContext(async ({ ctx, outputs }) => {
    const pipe = vi.spyOn(streams, "pipe");
    const output = await runLlm(payload, { ctx, signal: new AbortController().signal });
    return { output, chunks: outputs.chunks<LlmTextChunk>(LLM_TEXT_STREAM_KEY), pipeOptions: pipe.mock.calls.map((call) => call[2]) };
  });
}

describe("run-llm task", () => {
  it("returns Gemini's answer and writes each new piece to the orchestrator's LLM text stream", async () => {
    gemini.program(textReply(["A sturdy ", "oak chair ", "for reading."], { tokenDelayMs: 20 }));

    const { output, chunks, pipeOptions } = await runCollectingText();

    expect(output).toEqual({ output: "A sturdy oak chair for reading." });
    expect(chunks).toEqual([
      { nodeId: "llm", offset: 0, text: "A sturdy " },
      { nodeId: "llm", offset: 9, text: "oak chair " },
      { nodeId: "llm", offset: 19, text: "for reading." },
    ]);
    // The browser follows the orchestrator's run, so that run carries the stream.
    expect(pipeOptions).toEqual([{ target: "parent" }]);
    expect(gemini.requests[0].body.systemInstruction?.parts?.[0]?.text).toBe("Be brief.");
  });

  it("fails with the node's own message when Gemini refuses the key, closing its stream", async () => {
    gemini.program(invalidApiKey());

    await expect(runCollectingText()).rejects.toMatchObject({ name: "NodeError", message: expect.stringMatching(/key/i) });
  });
});
