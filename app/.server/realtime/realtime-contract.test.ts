// The contract with the pinned Trigger.dev SDK: its own subscription client (the code path
// `useRealtimeRun` and `useRealtimeRunWithStreams` take) reads an embedded run, and its LLM text
// stream, from our routes. An SDK upgrade that changes the protocol must fail here (ADR 007).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApiClient } from "@trigger.dev/core/v3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LLM_TEXT_STREAM_KEY, type LlmTextChunk } from "~/lib/llm-text-stream";
import { loader as runLoader } from "~/routes/realtime.v1.runs.$runId";
import { loader as streamLoader } from "~/routes/realtime.v1.streams.$runId.$streamKey";
import { readRunProgress } from "~workflow/run-progress";
import { createAccessToken } from "../engine/access-token.server";
import { runEvents } from "../engine/run-events.server";
import { createTestRun, progressSteps } from "./test-support";

const RUN_ROUTE = /^\/realtime\/v1\/runs\/([^/?]+)$/;
const STREAM_ROUTE = /^\/realtime\/v1\/streams\/([^/?]+)\/([^/?]+)$/;

let server: http.Server;
let baseUrl: string;
/** Resolved by the next live request the server receives. */
let onLiveRequest: (() => void) | undefined;

/** Serves the route module the way the app's Express adapter does: a Request in, the Response out. */
async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const url = new URL(req.url ?? "/", baseUrl);
  if (url.searchParams.get("live") === "true") onLiveRequest?.();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : [value ?? ""]) headers.append(name, item);
  }
  const request = new Request(url, { headers, signal: controller.signal });
  const run = RUN_ROUTE.exec(url.pathname);
  const stream = STREAM_ROUTE.exec(url.pathname);
  let response: Response;
  try {
    if (run) response = await runLoader({ request, params: { runId: run[1] }, context: {} });
    else if (stream) response = await streamLoader({ request, params: { runId: stream[1], streamKey: stream[2] }, context: {} });
    else response = new Response("not found", { status: 404 });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  // Piece by piece, as the server does: a stream's events must arrive while it is still open.
  if (response.body) for await (const piece of response.body) res.write(piece);
  res.end();
}

function nextLiveRequest(): Promise<void> {
  return new Promise((resolve) => {
    onLiveRequest = () => {
      onLiveRequest = undefined;
      resolve();
    };
  });
}

beforeAll(async () => {
  server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("the SDK's subscribeToRun against the embedded realtime route", () => {
  it("follows a run from executing to completed, each report arriving as the engine publishes it", async ({ annotate }) => {
    const { runId, engineRunId, createdAt } = await createTestRun({ status: "running" });
    const steps = progressSteps(runId);
    runEvents.open(engineRunId);
    runEvents.publish(engineRunId, steps.started);

    // A protocol break shows as the SDK's own error (say, MissingHeadersError), not as a hang.
    let failed: (error: unknown) => void = () => {};
    const fetchFailed = new Promise<never>((_, reject) => (failed = reject));
    const subscription = new ApiClient(baseUrl, createAccessToken(engineRunId)).subscribeToRun(engineRunId, {
      onFetchError: (error) => failed(error),
    });
    const runs = subscription[Symbol.asyncIterator]();
    const nextRun = () =>
      Promise.race([
        runs.next(),
        fetchFailed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no run within 5 s")), 5_000)),
      ]);

    const liveRequest = nextLiveRequest();
    const first = await nextRun();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({
      id: engineRunId,
      taskIdentifier: "execute-workflow",
      status: "EXECUTING",
      isExecuting: true,
      createdAt,
      startedAt: new Date(steps.started.startedAt!),
      finishedAt: undefined,
    });
    expect(readRunProgress(first.value.metadata)).toEqual(steps.started);

    // The client is now long-polling; the next report must end that wait.
    await liveRequest;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const publishedAt = performance.now();
    runEvents.publish(engineRunId, steps.streaming);
    const second = await nextRun();
    const latencyMs = performance.now() - publishedAt;
    expect(second.value).toMatchObject({ status: "EXECUTING", finishedAt: undefined });
    expect(readRunProgress(second.value?.metadata)?.nodes.llm).toMatchObject({ status: "running", preview: "An old" });
    // Measured, not asserted tightly (nextRun's 5 s is the bound): the wait ends on the publish,
    // not on a polling interval.
    await annotate(`publish → SDK update: ${latencyMs.toFixed(1)} ms`);

    runEvents.publish(engineRunId, steps.finished);
    const final = await nextRun();
    expect(final.value).toMatchObject({
      status: "COMPLETED",
      isCompleted: true,
      isSuccess: true,
      finishedAt: new Date(steps.finished.finishedAt!),
    });
    expect(readRunProgress(final.value?.metadata)).toEqual(steps.finished);
    // closeOnComplete: the subscription ends with the run.
    expect((await nextRun()).done).toBe(true);
  });

  it("with streams: delivers an LLM node's text chunk by chunk while the run goes, beside its reports", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const steps = progressSteps(runId);
    runEvents.open(engineRunId);
    runEvents.publish(engineRunId, steps.started);
    const words = ["An ", "old ", "silent ", "pond"];
    const controller = new AbortController();
    const subscription = new ApiClient(baseUrl, createAccessToken(engineRunId))
      .subscribeToRun(engineRunId, { signal: controller.signal })
      .withStreams<{ [LLM_TEXT_STREAM_KEY]: LlmTextChunk }>();

    const chunks: LlmTextChunk[] = [];
    let finalStatus: string | undefined;
    const reading = (async () => {
      for await (const part of subscription) {
        if (part.type === LLM_TEXT_STREAM_KEY) {
          chunks.push(part.chunk);
          // Each word is sent only once the previous one arrived: they stream, not arrive in one piece.
          const next = words[chunks.length];
          const offset = words.slice(0, chunks.length).join("").length;
          if (next !== undefined) runEvents.appendText(engineRunId, { nodeId: "llm", offset, text: next });
          else runEvents.publish(engineRunId, steps.finished);
        } else if (part.type === "run") {
          finalStatus = part.run.status;
          if (part.run.finishedAt) break;
        }
      }
    })();
    runEvents.appendText(engineRunId, { nodeId: "llm", offset: 0, text: words[0] });
    await Promise.race([reading, new Promise((_, reject) => setTimeout(() => reject(new Error("no end within 5 s")), 5_000))]);
    controller.abort();

    expect(chunks.map((chunk) => chunk.text)).toEqual(words);
    expect(chunks.every((chunk) => chunk.nodeId === "llm")).toBe(true);
    expect(finalStatus).toBe("COMPLETED");
  });

  it("reports a rejected token through onFetchError, as the hook's error", async () => {
    const { engineRunId } = await createTestRun({ status: "running" });
    const controller = new AbortController();
    const error = await new Promise<unknown>((resolve) => {
      new ApiClient(baseUrl, "not-a-token").subscribeToRun(engineRunId, { signal: controller.signal, onFetchError: resolve });
    });
    controller.abort();
    expect(error).toMatchObject({ status: 401 });
  });
});
