import type { LlmSettings } from "~workflow/execution";
import { env } from "./env.server";
import { getModelCatalog } from "./models-catalog.server";

/** How long Gemini may stay silent (before its first chunk, or between two) before an attempt gives up. */
const LLM_IDLE_TIMEOUT_MS = 60_000;

/** Gemini settings for executors, from the environment; the same in the app and in Trigger.dev tasks. */
export function llmSettings(): LlmSettings {
  const config = env();
  return {
    apiKey: config.GEMINI_API_KEY,
    baseUrl: config.GEMINI_BASE_URL,
    timeoutMs: LLM_IDLE_TIMEOUT_MS,
    catalog: getModelCatalog,
    operationPolling: { intervalMs: config.GEMINI_VIDEO_POLL_INTERVAL_MS, timeoutMs: config.GEMINI_VIDEO_TIMEOUT_MS },
  };
}
