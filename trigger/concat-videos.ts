import { schemaTask } from "@trigger.dev/sdk";
import { nodeTaskPayloadSchema, retryOnlyWhatMightSucceed, runNodeTask } from "./node-task";

/** Joins one Concat Videos node's clips with ffmpeg (the orchestrator triggers it). */
export const concatVideos = schemaTask({
  id: "concat-videos",
  schema: nodeTaskPayloadSchema("concat-videos"),
  // Decoding several clips and encoding H.264 at once: a whole core and 1 GB.
  machine: "small-2x",
  // Downloading every clip, then re-encoding all of them.
  maxDuration: 1800,
  catchError: retryOnlyWhatMightSucceed,
  run: (payload, { signal }) => runNodeTask("concat-videos", payload, { signal }),
});
