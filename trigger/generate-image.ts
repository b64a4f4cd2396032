import { schemaTask } from "@trigger.dev/sdk";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/** Asks Gemini for one Generate Image node's image (the orchestrator triggers it). */
export const generateImage = schemaTask({
  id: "generate-image",
  schema: nodeTaskPayloadSchema("generate-image"),
  // Waiting on Gemini takes no CPU; reference images (up to 20 MB inline) and the answer fit in 0.5 GB.
  machine: "small-1x",
  // The executor makes up to three attempts of a minute each, with backoff between them.
  maxDuration: 600,
  // The executor already retried rate limits and 5xx with backoff: one more attempt at most.
  retry: { maxAttempts: 2 },
  catchError: retryOnlyWhatMightSucceed,
  run: (payload, { signal }) => runNodeTask("generate-image", payload, { signal }),
});
