import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { metadata } from "@trigger.dev/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PREVIEW_MAX_CHARS } from "~/lib/run-progress";
import { invalidApiKey, startGeminiStub, textReply, type GeminiStub } from "../test/gemini-stub";
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

/** Runs the task and returns its output with every value it set as its streamed text. */
function runCollectingText() {
  return runInMockTaskContext(async ({ ctx }) => {
    const texts: unknown[] = [];
    const set = metadata.set;
    vi.spyOn(metadata, "set").mockImplementation((key, value) => {
      if (key === "text") texts.push(value);
      return set(key, value);
    });
    const output = await runLlm(payload, { ctx, signal: new AbortController().signal });
    return { output, texts };
  });
}

describe("run-llm task", () => {
  it("returns Gemini's answer and keeps the text so far in its metadata while it streams", async () => {
    gemini.program(textReply(["A sturdy ", "oak chair ", "for reading."], { tokenDelayMs: 20 }));

    const { output, texts } = await runCollectingText();

    expect(output).toEqual({ output: "A sturdy oak chair for reading." });
    expect(texts).toEqual(["A sturdy ", "A sturdy oak chair ", "A sturdy oak chair for reading."]);
    expect(gemini.requests[0].body.systemInstruction?.parts?.[0]?.text).toBe("Be brief.");
  });

  it("keeps only as much streamed text as the preview can show", async () => {
    const long = "x".repeat(PREVIEW_MAX_CHARS * 3);
    gemini.program(textReply([long.slice(0, 100), long.slice(100)]));

    const { output, texts } = await runCollectingText();

    expect(output).toEqual({ output: long });
    expect(texts.at(-1)).toBe(long.slice(0, PREVIEW_MAX_CHARS + 1));
  });

  it("fails with the node's own message when Gemini refuses the key", async () => {
    gemini.program(invalidApiKey());

    await expect(runCollectingText()).rejects.toMatchObject({ name: "NodeError", message: expect.stringMatching(/key/i) });
  });
});
