import { logger, schemaTask, streams } from "@trigger.dev/sdk";
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

/** This node's part of the parent (orchestrator) run's LLM text stream. */
function openParentTextStream(nodeId: string) {
  const chunk = createTextChunker(nodeId);
  let pieces!: ReadableStreamDefaultController<LlmTextChunk>;
  const source = new ReadableStream<LlmTextChunk>({ start: (controller) => void (pieces = controller) });
  const { waitUntilComplete } = streams.pipe(LLM_TEXT_STREAM_KEY, source, { target: "parent" });
  return {
    write(textSoFar: string) {
      const piece = chunk(textSoFar);
      if (piece) pieces.enqueue(piece);
    },
    async close() {
      pieces.close();
      // The live text is a courtesy: the answer is the task's output whether or not it streamed.
      await waitUntilComplete().catch((error: unknown) => logger.warn("The LLM text stream could not be sent", { nodeId, error: String(error) }));
    },
  };
}
