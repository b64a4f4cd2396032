import { schemaTask } from "@trigger.dev/sdk";
import { createMetadataWriter } from "./metadata-writer";
import {
  nodeTaskPayloadSchema,
  retryOnlyWhatMightSucceed,
  runNodeTask,
  STREAMED_TEXT_METADATA_KEY,
  streamedTextHead,
} from "./node-task";

/** How often the answer so far is sent while Gemini streams it (ADR 006). */
const TEXT_SEND_INTERVAL_MS = 250;

/**
 * Asks Gemini for one Run LLM node's answer (the orchestrator triggers it). While the answer
 * streams, its start is kept in this run's metadata, where the orchestrator picks it up.
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
    const text = createMetadataWriter<string>(STREAMED_TEXT_METADATA_KEY, TEXT_SEND_INTERVAL_MS);
    try {
      return await runNodeTask("run-llm", payload, {
        signal,
        onText: (textSoFar) => void text.write(streamedTextHead(textSoFar)),
      });
    } finally {
      text.dispose();
    }
  },
});
