import { db } from "~/.server/db.server";
import { apiError } from "~/.server/http.server";
import { LLM_TEXT_STREAM_KEY, type LlmTextChunk } from "~/lib/llm-text-stream";
import { runEvents, type RunEvents } from "../engine/run-events.server";
import { openRealtimeRequest } from "./authorize.server";
import { PROCESS_EPOCH } from "./run-feed.server";

// Serves an embedded run's LLM text stream the way Trigger.dev serves a run's realtime stream to
// `useRealtimeRunWithStreams` (ADR 007): Server-Sent Events in the SDK's "v1" form, one event per
// chunk with an id the client sends back as Last-Event-ID when it reconnects. The response
// stays open while the run goes and ends with it: the SDK takes a closed response as the end.

/** A comment line this often keeps idle connections (and proxies between) from timing out. */
const KEEP_ALIVE_MS = 15_000;

export interface TextStreamOptions {
  events?: RunEvents;
  keepAliveMs?: number;
  /** Who asks, for the per-client cap on open requests. */
  clientAddress?: string;
}

/** Answers `GET /realtime/v1/streams/:runId/:streamKey` for an embedded run. */
export async function textStreamResponse(
  request: Request,
  engineRunId: string,
  streamKey: string,
  options: TextStreamOptions = {},
): Promise<Response> {
  const events = options.events ?? runEvents;
  if (streamKey !== LLM_TEXT_STREAM_KEY) return apiError(404, "not_found", `Runs have no stream "${streamKey}".`);
  const gate = await openRealtimeRequest(request, engineRunId, options.clientAddress);
  if ("denied" in gate) return gate.denied;
  const { granted } = gate;
  const run = await db.workflowRun.findUnique({ where: { engineRunId }, select: { id: true } });
  if (!run) {
    granted.release();
    return apiError(404, "not_found", "There is no run with this id.");
  }

  const from = firstChunkIndex(request, events.textLog(engineRunId)?.chunks.length ?? 0);
  const stop = new AbortController();
  const onGone = () => stop.abort();
  request.signal.addEventListener("abort", onGone, { once: true });
  // A share link revoked while its visitor watches ends the stream there.
  granted.signal.addEventListener("abort", onGone, { once: true });
  const encoder = new TextEncoder();

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      // Once the client has gone, writing would throw: there is nobody left to tell.
      const send = (text: string) => {
        if (stop.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop.abort();
        }
      };
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), options.keepAliveMs ?? KEEP_ALIVE_MS);
      try {
        // A run this process does not hold (finished long ago, or from before a restart) has no
        // text to follow: the stream is empty, and the nodes' records carry their answers.
        let next = from;
        for (;;) {
          const log = events.textLog(engineRunId);
          if (!log || stop.signal.aborted) break;
          for (; next < log.chunks.length; next++) send(textEvent(next, log.chunks[next]));
          if (log.finished) break;
          await events.waitForText(engineRunId, next, stop.signal);
        }
      } finally {
        clearInterval(keepAlive);
        request.signal.removeEventListener("abort", onGone);
        granted.signal.removeEventListener("abort", onGone);
        granted.release();
        try {
          controller.close();
        } catch {
          // Already cancelled by the client.
        }
      }
    },
    cancel() {
      stop.abort();
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Stream-Version": "v1",
    },
  });
}

/**
 * Event ids are `<ms>-<process>.<index>`: the SDK reads the time before the dash, and a client
 * reconnecting to a restarted process (whose log starts again from 0) is given the whole log.
 */
function textEvent(index: number, chunk: LlmTextChunk): string {
  return `id: ${Date.now()}-${PROCESS_EPOCH}.${index}\ndata: ${JSON.stringify(chunk)}\n\n`;
}

/** Where the response starts: after the client's Last-Event-ID, at the tail when it asks for only new chunks, else at the start. */
function firstChunkIndex(request: Request, tail: number): number {
  const lastEventId = request.headers.get("Last-Event-ID");
  const match = lastEventId === null ? null : /^\d+-([a-z0-9]+)\.(\d+)$/.exec(lastEventId);
  if (match && match[1] === PROCESS_EPOCH) return Number(match[2]) + 1;
  if (lastEventId === null && request.headers.get("X-Trigger-Stream-Start") === "latest") return tail;
  return 0;
}
