import { schemaTask } from "@trigger.dev/sdk";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/** Takes one Extract Frame node's frame out of its video with ffmpeg (the orchestrator triggers it). */
export const extractFrame = schemaTask({
  id: "extract-frame",
  schema: nodeTaskPayloadSchema("extract-frame"),
  // Decoding video up to the frame wanted: a whole core and 1 GB.
  machine: "small-2x",
  // Downloading a video of up to 200 MB from storage, then one seek and decode.
  maxDuration: 300,
  catchError: retryOnlyWhatMightSucceed,
  run: (payload, { signal }) => runNodeTask("extract-frame", payload, { signal }),
});
