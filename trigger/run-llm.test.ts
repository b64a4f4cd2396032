import { realtimeStreams } from "@trigger.dev/core/v3";
import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
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
  params: { model: "gemini-3.6-flash", system_prompt: "Be brief.", user_message: "Describe the product." },
  inputs: {},
};

const ORCHESTRATOR_RUN_ID = "run_orchestrator";

/** Runs the task and returns its output with every chunk it wrote to its parent's LLM text stream. */
function runCollectingText(options: { failStream?: (source: ReadableStream<unknown>) => Promise<void> } = {}) {
  return runInMockTaskContext(
    async ({ ctx, outputs }) => {
      const pipe = vi.spyOn(realtimeStreams, "pipe");
      if (options.failStream) {
        const failStream = options.failStream;
        pipe.mockImplementation((_key, source) => {
          const upload = failStream(source as ReadableStream<unknown>);
          return { wait: () => upload.then(() => ({})), stream: new ReadableStream() } as unknown as ReturnType<typeof realtimeStreams.pipe>;
        });
      }
      const output = await runLlm(payload, { ctx, signal: new AbortController().signal });
      return { output, chunks: outputs.chunks<LlmTextChunk>(LLM_TEXT_STREAM_KEY), pipeOptions: pipe.mock.calls.map((call) => call[2]) };
    },
    { ctx: { run: { parentTaskRunId: ORCHESTRATOR_RUN_ID } } },
  );
}

/** Fails the test if a promise rejection goes unhandled while `body` runs (Node ends a task attempt for one). */
async function withoutUnhandledRejections<T>(body: () => Promise<T>): Promise<T> {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  try {
    const result = await body();
    // Unhandled rejections are reported after the microtask queue drains.
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    return result;
  } finally {
    process.off("unhandledRejection", listener);
  }
}

describe("run-llm task", () => {
  it("returns Gemini's answer and writes each new piece to the orchestrator's LLM text stream", async () => {
    const usage = { promptTokenCount: 12, candidatesTokenCount: 9, thoughtsTokenCount: 30 };
    gemini.program(textReply(["A sturdy ", "oak chair ", "for reading."], { tokenDelayMs: 20, usage }));

    const { output, chunks, pipeOptions } = await runCollectingText();

    // With what Gemini said the answer used, for the orchestrator to price.
    expect(output).toEqual({
      outputs: { output: "A sturdy oak chair for reading." },
      usage: [{ model: "gemini-3.6-flash", inputTokens: 12, cachedInputTokens: 0, outputTokens: 9, thinkingTokens: 30 }],
    });
    expect(chunks).toEqual([
      { nodeId: "llm", offset: 0, text: "A sturdy " },
      { nodeId: "llm", offset: 9, text: "oak chair " },
      { nodeId: "llm", offset: 19, text: "for reading." },
    ]);
    // The browser follows the orchestrator's run, so that run carries the stream.
    expect(pipeOptions).toEqual([{ target: ORCHESTRATOR_RUN_ID }]);
    expect(gemini.requests[0].body.systemInstruction?.parts?.[0]?.text).toBe("Be brief.");
  });

  it("fails with the node's own message when Gemini refuses the key, closing its stream", async () => {
    gemini.program(invalidApiKey());

    await expect(runCollectingText()).rejects.toMatchObject({ name: "NodeError", message: expect.stringMatching(/key/i) });
  });

  it("returns the answer when the stream cannot be sent at all, without an unhandled rejection", async () => {
    gemini.program(textReply(["Still ", "answered."]));

    const { output } = await withoutUnhandledRejections(() =>
      runCollectingText({ failStream: async () => Promise.reject(new Error("stream ingest answered 500")) }),
    );

    expect(output).toMatchObject({ outputs: { output: "Still answered." } });
  });

  it("returns the answer when the stream fails part way, after reading the first piece", async () => {
    gemini.program(textReply(["One ", "two ", "three."], { tokenDelayMs: 10 }));
    const read: unknown[] = [];

    const { output } = await withoutUnhandledRejections(() =>
      runCollectingText({
        failStream: async (source) => {
          const reader = source.getReader();
          read.push((await reader.read()).value);
          await reader.cancel();
          throw new Error("connection reset");
        },
      }),
    );

    expect(output).toMatchObject({ outputs: { output: "One two three." } });
    expect(read).toEqual([{ nodeId: "llm", offset: 0, text: "One " }]);
  });
});
