import { schemaTask, wait } from "@trigger.dev/sdk";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/**
 * Waits between polls with a checkpointed wait: the run is suspended and costs no compute while
 * Veo works. One wait at a time, never in parallel, as Trigger.dev v4 requires. It cannot be cut
 * short by the signal; cancelling the run cancels the wait with it.
 */
async function checkpointedWait(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  await wait.for({ seconds: Math.max(1, Math.ceil(ms / 1000)) });
  signal.throwIfAborted();
}

/**
 * One Generate Video node: starts a Veo operation, keeps its name in the node's row (so a retried
 * attempt polls the same operation instead of paying again) and polls it until the video is ready.
 */
export const generateVideo = schemaTask({
  id: "generate-video",
  schema: nodeTaskPayloadSchema("generate-video"),
  // Waiting is suspended; the work awake is a few HTTP requests and storing a video of a few MB.
  machine: "small-1x",
  // Counts awake time only: the polls and the download, not the waits between polls.
  maxDuration: 900,
  retry: { maxAttempts: 3 },
  catchError: retryOnlyWhatMightSucceed,
  run: (payload, { signal }) => runNodeTask("generate-video", payload, { signal, wait: checkpointedWait }),
});
