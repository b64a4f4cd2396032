import { z } from "zod";
import { TimestampSchema } from "./extract-frame";
import { defineNode } from "./types";

export const trimVideoNode = defineNode({
  type: "trim-video",
  label: "Trim Video",
  description: "Keeps the part of a video between a start and an end, each in seconds or a percentage such as \"50%\".",
  category: "media",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [
    { id: "video_url", label: "Video", type: "video", required: true },
    { id: "start", label: "Start", type: "number", inline: true },
    { id: "end", label: "End", type: "number", inline: true },
  ],
  outputs: [{ id: "output", label: "Trimmed video", type: "video" }],
  // Whether the end comes after the start depends on the video's length when either is a
  // percentage, so the executor checks it.
  params: z.object({
    start: TimestampSchema.default(0),
    end: TimestampSchema.default("100%"),
  }),
});
