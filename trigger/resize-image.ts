import { schemaTask } from "@trigger.dev/sdk";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/** Resizes one Resize Image node's image with ffmpeg (the orchestrator triggers it). */
export const resizeImage = schemaTask({
  id: "resize-image",
  schema: nodeTaskPayloadSchema("resize-image"),
  // Like Crop Image: a large photo decodes, and an 8192 px output encodes, in a few hundred MB.
  machine: "small-2x",
  // Seconds of ffmpeg, plus fetching the file from storage.
  maxDuration: 120,
  catchError: retryOnlyWhatMightSucceed,
  run: (payload, { signal }) => runNodeTask("resize-image", payload, { signal }),
});
