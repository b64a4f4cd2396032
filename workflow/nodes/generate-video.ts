import { z } from "zod";
import { DEFAULT_VIDEO_MODEL } from "../gemini-models";
import { GeminiModelSchema } from "./run-llm";
import { defineNode, MAX_TEXT_LENGTH } from "./types";

// Every value any Veo model takes; which of them a given model accepts is data
// (gemini-models.json `videoCapabilities`), checked when the node runs and offered by the node's selects.
export const VIDEO_ASPECT_RATIOS = ["16:9", "9:16"] as const;
export const VIDEO_RESOLUTIONS = ["720p", "1080p", "4k"] as const;

export const generateVideoNode = defineNode({
  type: "generate-video",
  label: "Generate Video",
  description: "Makes a short video from a prompt with a Gemini video model (Veo), optionally starting from an image. Takes minutes.",
  category: "ai",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [
    { id: "prompt", label: "Prompt", type: "text", required: true, inline: true },
    { id: "image", label: "First frame", type: "image" },
  ],
  outputs: [{ id: "video", label: "Video", type: "video" }],
  params: z.object({
    model: GeminiModelSchema.default(DEFAULT_VIDEO_MODEL),
    prompt: z.string().max(MAX_TEXT_LENGTH).default(""),
    aspect_ratio: z.enum(VIDEO_ASPECT_RATIOS).default("16:9"),
    duration_seconds: z.coerce.number().int().min(1).max(60).default(8),
    resolution: z.enum(VIDEO_RESOLUTIONS).default("720p"),
  }),
});
