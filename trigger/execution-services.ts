import { llmSettings } from "~/.server/llm-settings.server";
import { applyFfmpegLimits } from "~/.server/media-limits.server";
import { createMediaStore } from "~/.server/media-store.server";
import type { ExecutionServices } from "~workflow/run-node";

/** What executors get in a task run: the run owner's files and Gemini settings from the environment. */
export function executionServices(ownerId: string): ExecutionServices {
  applyFfmpegLimits();
  return { media: createMediaStore(ownerId), llm: llmSettings() };
}
