import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runLlmNode } from "../nodes/run-llm";
import {
  type GeminiStub,
  type GeminiStubReply,
  hang,
  invalidApiKey,
  promptBlocked,
  rateLimited,
  serverError,
  startGeminiStub,
  stoppedForSafety,
  stubModel,
  textReply,
} from "~test/gemini-stub";
import {
  createMediaFixtures,
  createTestMediaStore,
  executionContext,
  type MediaFixtures,
  type TestMediaStore,
} from "~test/media-fixtures";
import { FALLBACK_CATALOG } from "../gemini-models";
import type { NodeInputs } from "../values";
import type { LlmSettings } from "../execution";
import type { Usage } from "../cost/usage";
import { createRunLlm } from "./run-llm";

let stub: GeminiStub;
let fixtures: MediaFixtures;
let store: TestMediaStore;

beforeAll(async () => {
  [stub, fixtures, store] = await Promise.all([startGeminiStub(), createMediaFixtures(), createTestMediaStore()]);
});

afterAll(async () => {
  await Promise.all([stub?.close(), fixtures?.remove(), store?.remove()]);
});

beforeEach(() => stub.reset());

const runLlm = createRunLlm({ retryBaseDelayMs: 5 });

function run(
  fields: {
    params?: Record<string, string>;
    inputs?: NodeInputs;
    llm?: Partial<LlmSettings>;
    signal?: AbortSignal;
    onText?: (textSoFar: string) => void;
    reportUsage?: (usage: Usage) => void;
  } = {},
  executor = runLlm,
) {
  return executor(
    executionContext({
      params: runLlmNode.params.parse({ user_message: "Describe the product.", ...fields.params }),
      media: store,
      inputs: fields.inputs,
      signal: fields.signal,
      onText: fields.onText,
      reportUsage: fields.reportUsage,
      llm: { apiKey: "test-key", baseUrl: stub.baseUrl, timeoutMs: 2_000, ...fields.llm },
    }),
  );
}

function times(count: number, reply: GeminiStubReply): GeminiStubReply[] {
  return Array.from({ length: count }, () => reply);
}

describe("run-llm executor against a Gemini stub", () => {
  it("reports the usage Gemini sent with the answer, thinking tokens apart", async () => {
    stub.program(textReply(["Short ", "answer."], { usage: { promptTokenCount: 1_240, candidatesTokenCount: 300, thoughtsTokenCount: 700 } }));
    const reported: Usage[] = [];
    await run({ params: { model: "gemini-3.6-flash" }, reportUsage: (usage) => reported.push(usage) });
    expect(reported).toEqual([
      { model: "gemini-3.6-flash", inputTokens: 1_240, cachedInputTokens: 0, outputTokens: 300, thinkingTokens: 700 },
    ]);
  });

  it("sends the model, key, system instruction, user message and inline images; returns the answer", async () => {
    stub.program(textReply(["A sturdy ", "red mug."]));
    const image = await store.add(fixtures.png, "image");
    const outputs = await run({
      params: { model: "gemini-3.1-pro-preview", system_prompt: "You write product copy.", user_message: "Describe this mug." },
      inputs: { images: [image] },
    });

    expect(outputs).toEqual({ output: "A sturdy red mug." });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/models/gemini-3.1-pro-preview:streamGenerateContent",
      query: { alt: "sse" },
      model: "gemini-3.1-pro-preview",
      apiKey: "test-key",
    });
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body.systemInstruction).toEqual({ role: "user", parts: [{ text: "You write product copy." }] });
    expect(request.body.contents).toEqual([
      {
        role: "user",
        parts: [
          { text: "Describe this mug." },
          { inlineData: { mimeType: "image/png", data: (await readFile(fixtures.png)).toString("base64") } },
        ],
      },
    ]);
  });

  it("sends every connected image, and a GIF as a PNG since Gemini does not take GIFs", async () => {
    const [jpeg, gif] = await Promise.all([store.add(fixtures.jpeg, "image"), store.add(fixtures.gif, "image")]);
    await run({ inputs: { images: [jpeg, gif] } });

    const parts = stub.requests[0].body.contents?.[0].parts ?? [];
    expect(parts.map((part) => part.inlineData?.mimeType)).toEqual([undefined, "image/jpeg", "image/png"]);
    expect(parts[1].inlineData?.data).toBe((await readFile(fixtures.jpeg)).toString("base64"));
    const png = Buffer.from(parts[2].inlineData?.data ?? "", "base64");
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("sends no system instruction when the prompt is empty", async () => {
    await run({ params: { system_prompt: "  " } });
    expect(stub.requests[0].body).not.toHaveProperty("systemInstruction");
  });

  it("streams: onText sees the text grow as tokens arrive", async () => {
    stub.program(textReply(["Hel", "lo, ", "world"], { tokenDelayMs: 40 }));
    const seen: { text: string; at: number }[] = [];
    const outputs = await run({ onText: (text) => seen.push({ text, at: performance.now() }) });

    expect(outputs.output).toBe("Hello, world");
    expect(seen.map((update) => update.text)).toEqual(["Hel", "Hello, ", "Hello, world"]);
    // Delivered as they came, not all at once at the end.
    expect(seen[2].at - seen[0].at).toBeGreaterThan(60);
  });

  it("retries a 429 with backoff: two refusals then success make three requests", async () => {
    stub.program(rateLimited(), rateLimited(), textReply("Finally."));
    const seen: string[] = [];
    expect(await run({ onText: (text) => seen.push(text) })).toEqual({ output: "Finally." });
    expect(stub.requests).toHaveLength(3);
    expect(seen).toEqual(["Finally."]);
  });

  it("gives up after three server errors with a retryable error", async () => {
    stub.program(serverError(500));
    await expect(run()).rejects.toMatchObject({
      name: "NodeError",
      message: "Gemini had a server error (500); tried 3 times.",
      retryable: true,
    });
    expect(stub.requests).toHaveLength(3);
  });

  it("gives up after three rate limits with a retryable error", async () => {
    stub.program(...times(3, rateLimited()), textReply("too late"));
    await expect(run()).rejects.toMatchObject({
      message: "Gemini is rate limiting requests (429); tried 3 times.",
      retryable: true,
    });
    expect(stub.requests).toHaveLength(3);
  });

  it("says the key was rejected, without retrying", async () => {
    stub.program(invalidApiKey());
    await expect(run()).rejects.toMatchObject({ name: "NodeError", message: "Gemini rejected the API key.", retryable: false });
    expect(stub.requests).toHaveLength(1);
  });

  it("says the key was rejected when Gemini answers 403", async () => {
    stub.program({ type: "error", status: 403, statusName: "PERMISSION_DENIED", message: "Method doesn't allow unregistered callers." });
    await expect(run()).rejects.toMatchObject({ message: "Gemini rejected the API key." });
  });

  it("passes on Gemini's reason for other refusals", async () => {
    stub.program({ type: "error", status: 400, statusName: "INVALID_ARGUMENT", message: "User location is not supported for the API use." });
    await expect(run()).rejects.toMatchObject({
      message: "Gemini refused the request (400): User location is not supported for the API use.",
      retryable: false,
    });
  });

  it("reports a blocked prompt as a safety block", async () => {
    stub.program(promptBlocked("PROHIBITED_CONTENT"));
    await expect(run()).rejects.toMatchObject({
      name: "NodeError",
      message: "Gemini blocked this request for safety reasons (PROHIBITED_CONTENT).",
      retryable: false,
    });
    expect(stub.requests).toHaveLength(1);
  });

  it("reports an answer stopped for safety as a safety block", async () => {
    stub.program(stoppedForSafety());
    await expect(run()).rejects.toMatchObject({ message: "Gemini blocked this request for safety reasons (SAFETY)." });
  });

  it("reports an empty answer with its finish reason", async () => {
    stub.program(textReply([], { finishReason: "MAX_TOKENS" }));
    await expect(run()).rejects.toMatchObject({ message: "Gemini returned an empty answer (finish reason: MAX_TOKENS)." });
  });

  it("says Gemini is not configured when there is no key, without sending anything", async () => {
    await expect(run({ llm: { apiKey: undefined } })).rejects.toMatchObject({
      name: "NodeError",
      message: "Gemini is not configured: set GEMINI_API_KEY.",
      retryable: false,
    });
    await expect(run({ llm: { apiKey: "  " } })).rejects.toThrow("Gemini is not configured: set GEMINI_API_KEY.");
    expect(stub.requests).toHaveLength(0);
  });

  it("times out an attempt that gets no answer", async () => {
    stub.program(hang());
    const startedAt = performance.now();
    await expect(run({ llm: { timeoutMs: 200 } })).rejects.toMatchObject({
      name: "NodeError",
      message: "Gemini did not answer within 0.2 s.",
      retryable: true,
    });
    expect(performance.now() - startedAt).toBeLessThan(1_500);
    expect(stub.requests).toHaveLength(1);
  });

  it("times out a stream that stalls, but not one that keeps streaming past the timeout", async () => {
    stub.program(textReply(["slow ", "answer"], { tokenDelayMs: 400 }));
    await expect(run({ llm: { timeoutMs: 200 } })).rejects.toThrow("Gemini did not answer within 0.2 s.");

    stub.program(textReply(["a ", "long ", "steady ", "answer"], { tokenDelayMs: 100 }));
    expect(await run({ llm: { timeoutMs: 250 } })).toEqual({ output: "a long steady answer" });
  });

  it("rejects with an AbortError promptly when aborted mid-request", async () => {
    stub.program(hang());
    const controller = new AbortController();
    const pending = run({ signal: controller.signal, llm: { timeoutMs: 30_000 } });
    await expect.poll(() => stub.requests.length).toBe(1);
    const abortedAt = performance.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - abortedAt).toBeLessThan(500);
  });

  it("rejects with an AbortError when aborted while waiting to retry", async () => {
    stub.program(rateLimited());
    const controller = new AbortController();
    const pending = run({ signal: controller.signal }, createRunLlm({ retryBaseDelayMs: 30_000 }));
    await expect.poll(() => stub.requests.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(stub.requests).toHaveLength(1);
  });

  it("retries when Gemini cannot be reached, then says so", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    await expect(run({ llm: { baseUrl: `http://127.0.0.1:${closedPort}` } })).rejects.toMatchObject({
      message: "Could not reach Gemini (ECONNREFUSED); tried 3 times.",
      retryable: true,
    });
  });

  it("fails a node set to a retired model up front, naming the replacement, without calling Gemini", async () => {
    const catalog = vi.fn(async () => FALLBACK_CATALOG);

    await expect(run({ params: { model: "gemini-2.5-flash" }, llm: { catalog } })).rejects.toMatchObject({
      name: "NodeError",
      retryable: false,
      message: 'Gemini no longer offers the model "gemini-2.5-flash" (it was retired). Pick another model on the node, such as "gemini-3.5-flash-lite".',
    });
    expect(catalog).toHaveBeenCalledTimes(1);
    expect(stub.requests).toHaveLength(0);
  });

  it("fails a node whose model the live list does not offer, naming one it does", async () => {
    const live = { models: [{ id: "gemini-4-flash", label: "Gemini 4 Flash", kind: "text" as const }], source: "live" as const, fetchedAt: new Date().toISOString() };

    await expect(run({ params: { model: "gemini-3.6-flash" }, llm: { catalog: async () => live } })).rejects.toMatchObject({
      message: 'Gemini does not offer the model "gemini-3.6-flash" to this API key. Pick another model on the node, such as "gemini-4-flash".',
    });
    expect(stub.requests).toHaveLength(0);
  });

  it("turns Gemini's 404 for a model into the same message, without retrying", async () => {
    // The list (the shipped one here) has not heard yet that the model was shut down.
    stub.setModels([stubModel("gemini-3.5-flash-lite")]);

    await expect(run({ params: { model: "gemini-3.6-flash" }, llm: { catalog: async () => FALLBACK_CATALOG } })).rejects.toMatchObject({
      name: "NodeError",
      retryable: false,
      message: expect.stringMatching(/^Gemini no longer offers the model "gemini-3\.6-flash" \(it was retired\)\. Pick another model on the node, such as "gemini-3\.8-flash"\.$/),
    });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0].path).toBe("/v1/models/gemini-3.6-flash:streamGenerateContent");
  });
});
