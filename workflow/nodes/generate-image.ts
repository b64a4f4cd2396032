import { z } from "zod";
import { DEFAULT_IMAGE_MODEL } from "../gemini-models";
import { GeminiModelSchema } from "./run-llm";
import { defineNode, MAX_TEXT_LENGTH } from "./types";

/**
 * The aspect ratios the node offers: the common screen and print shapes, all of which Gemini's
 * image models take as `imageConfig.aspectRatio` (checked 2026-12-03:
 * https://ai.google.dev/gemini-api/docs/image-generation and @google/genai 3.3 `ImageConfig`).
 */
export const ASPECT_RATIOS = ["1:1", "16:9", "9:16", "4:3", "3:4"] as const;

export const generateImageNode = defineNode({
  type: "generate-image",
  label: "Generate Image",
  description: "Makes an image with a Gemini image model from a prompt, or edits and follows the images connected to it.",
  category: "ai",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [
    // Required at run time (edge or non-empty typed value), not at save time, like Run LLM's message.
    { id: "prompt", label: "Prompt", type: "text", required: true, inline: true },
    { id: "images", label: "Reference images", type: "image", multiple: true },
  ],
  outputs: [{ id: "image", label: "Image", type: "image" }],
  params: z.object({
    model: GeminiModelSchema.default(DEFAULT_IMAGE_MODEL),
    aspect_ratio: z.enum(ASPECT_RATIOS).default("1:1"),
    prompt: z.string().max(MAX_TEXT_LENGTH).default(""),
  }),
});
