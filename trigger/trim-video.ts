import { schemaTask } from "@trigger.dev/sdk";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/** Cuts one Trim Video node's video with ffmpeg (the orchestrator triggers it). */
export const trimVideo = schemaTask({
  id: "trim-video",
  schema: nodeTaskPayloadSchema("trim-video"),
  // Re-encoding H.264 keeps a whole core busy; a copied cut needs little.
  machine: "small-2x",
  // Downloading a video of up to 200 MB, then re-encoding up to its whole length.
  maxDuration: 900,
  catchError: retryOnlyWhatMightSucceed,
  run: (payload, { signal }) => runNodeTask("trim-video", payload, { signal }),
});
