import { z } from "zod";
import { defineNode, MAX_TEXT_LENGTH } from "./types";

/** Offered in the node's dropdown; the first is the default. */
export const GEMINI_MODELS = [
  "gemini-2.5-flash",
  "gemini-2.5-pro",
  "gemini-2.5-flash-lite",
  "gemini-2.0-flash",
] as const;

export const GeminiModelSchema = z.enum(GEMINI_MODELS);
export type GeminiModel = z.infer<typeof GeminiModelSchema>;

export const runLlmNode = defineNode({
  type: "run-llm",
  label: "Run LLM",
  description: "Asks a Gemini model for text, optionally looking at images.",
  category: "ai",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [
    { id: "system_prompt", label: "System prompt", type: "text", inline: true },
    // Required at run time (edge or non-empty typed value), not at save time: a half-built
    // workflow must still save.
    { id: "user_message", label: "User message", type: "text", required: true, inline: true },
    { id: "images", label: "Images", type: "image", multiple: true },
  ],
  outputs: [{ id: "output", label: "Output", type: "text" }],
  params: z.object({
    model: GeminiModelSchema.default("gemini-2.5-flash"),
    system_prompt: z.string().max(MAX_TEXT_LENGTH).default(""),
    user_message: z.string().max(MAX_TEXT_LENGTH).default(""),
  }),
});
