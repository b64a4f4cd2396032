import { schemaTask } from "@trigger.dev/sdk";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/** Crops one Crop Image node's image with ffmpeg (the orchestrator triggers it). */
export const cropImage = schemaTask({
  id: "crop-image",
  schema: nodeTaskPayloadSchema("crop-image"),
  // A 20 MB photo decodes to a few hundred MB of pixels: more than the default 0.5 GB machine.
  machine: "small-2x",
  // Seconds of ffmpeg, plus fetching the file from storage.
  maxDuration: 120,
  catchError: retryOnlyWhatMightSucceed,
  run: (payload, { signal }) => runNodeTask("crop-image", payload, { signal }),
});
