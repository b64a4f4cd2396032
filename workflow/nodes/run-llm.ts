import { z } from "zod";
import { DEFAULT_TEXT_MODEL } from "../gemini-models";
import { defineNode, MAX_TEXT_LENGTH } from "./types";

/**
 * A Gemini model id. Any id saves: which models exist is Gemini's to say, and changes (the model
 * catalog); a workflow saved with a model that was since retired must still open, show a warning
 * naming the replacement, and fail that node when it runs.
 */
export const GeminiModelSchema = z.string().trim().min(1, "choose a model").max(200);

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
    model: GeminiModelSchema.default(DEFAULT_TEXT_MODEL),
    system_prompt: z.string().max(MAX_TEXT_LENGTH).default(""),
    user_message: z.string().max(MAX_TEXT_LENGTH).default(""),
  }),
});
