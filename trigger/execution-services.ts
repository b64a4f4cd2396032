import { env } from "../app/.server/env.server";
import { createMediaStore } from "../app/.server/media-store.server";
import type { ExecutionServices } from "../workflow/run-node";

/** How long Gemini may stay silent (before its first chunk, or between two) before an attempt gives up. */
const LLM_IDLE_TIMEOUT_MS = 60_000;

/** What executors get in a task run: the run owner's files and Gemini settings from the environment. */
export function executionServices(ownerId: string): ExecutionServices {
  const config = env();
  return {
    media: createMediaStore(ownerId),
    llm: { apiKey: config.GEMINI_API_KEY, baseUrl: config.GEMINI_BASE_URL, timeoutMs: LLM_IDLE_TIMEOUT_MS },
  };
}
