import { realtimeStreams, taskContext } from "@trigger.dev/core/v3";
import { logger, schemaTask } from "@trigger.dev/sdk";
import { createTextChunker, LLM_TEXT_STREAM_KEY, type LlmTextChunk } from "~/lib/llm-text-stream";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/**
 * Asks Gemini for one Run LLM node's answer (the orchestrator triggers it). While the answer
 * streams, its pieces go to the orchestrator's LLM text stream: the browser follows that run.
 */
export const runLlm = schemaTask({
  id: "run-llm",
  schema: nodeTaskPayloadSchema("run-llm"),
  // Waiting on Gemini takes no CPU; the inline images (up to 20 MB) fit in 0.5 GB.
  machine: "small-1x",
  // The executor makes up to three attempts, each allowed a minute of silence between chunks.
  maxDuration: 600,
  // The executor already retried rate limits and 5xx with backoff: one more attempt at most.
  retry: { maxAttempts: 2 },
  catchError: retryOnlyWhatMightSucceed,
  run: async (payload, { signal }) => {
    const text = openParentTextStream(payload.nodeId);
    try {
      return await runNodeTask("run-llm", payload, { signal, onText: text.write });
    } finally {
      await text.close();
    }
  },
});

/**
 * This node's part of the parent (orchestrator) run's LLM text stream. The live text is a
 * courtesy: the answer is the task's output whether or not it streamed, so a stream that cannot
 * be opened or sent only logs a warning. Core's `realtimeStreams.pipe` rather than the SDK's
 * `streams.pipe`: in 4.8.3 the latter also chains `.finally()` on the upload's promise and leaves
 * that chain's rejection unhandled, which ends the attempt with TASK_RUN_UNCAUGHT_EXCEPTION.
 */
function openParentTextStream(nodeId: string) {
  const chunk = createTextChunker(nodeId);
  let pieces: ReadableStreamDefaultController<LlmTextChunk> | undefined;
  const source = new ReadableStream<LlmTextChunk>({ start: (controller) => void (pieces = controller) });
  const warn = (error: unknown) => {
    // Once the upload failed nobody reads the pieces: stop queueing them.
    pieces = undefined;
    logger.warn("The LLM text stream could not be sent", { nodeId, error: String(error) });
  };
  let sent: Promise<unknown> = Promise.resolve();
  try {
    const run = taskContext.ctx?.run;
    const target = run?.parentTaskRunId ?? run?.id;
    if (!target) throw new Error("no run to stream to");
    // Handled at once: a rejection that waited for close() would count as unhandled meanwhile.
    sent = realtimeStreams.pipe(LLM_TEXT_STREAM_KEY, source, { target }).wait().catch(warn);
  } catch (error) {
    warn(error);
  }
  return {
    write(textSoFar: string) {
      const piece = chunk(textSoFar);
      if (!piece || !pieces) return;
      try {
        pieces.enqueue(piece);
      } catch (error) {
        // The upload cancelled the source (it failed part way).
        warn(error);
      }
    },
    async close() {
      try {
        pieces?.close();
      } catch {
        // Already closed by a failed upload.
      }
      await sent;
    },
  };
}
