import { GoogleGenAI } from "@google/genai";
import type { LlmSettings } from "../execution";
import type { LlmPrompt } from "./estimate";

/** An estimate must not keep the Run button waiting: past this, the heuristic stands in. */
const COUNT_TIMEOUT_MS = 3_000;

/**
 * Gemini's own token count of each prompt's text (`models.countTokens`, REST `:countTokens`), by
 * node; a prompt Gemini could not count is left out, so the estimate falls back to the heuristic.
 * Without an API key nothing is asked. The Developer API's countTokens takes no system
 * instruction, so the system prompt is counted as a part of its own.
 */
export async function countPromptTokens(prompts: Readonly<Record<string, LlmPrompt>>, llm: LlmSettings): Promise<Record<string, number>> {
  const apiKey = llm.apiKey?.trim();
  const entries = Object.entries(prompts);
  if (!apiKey || entries.length === 0) return {};
  const ai = new GoogleGenAI({ apiKey, vertexai: false, httpOptions: llm.baseUrl ? { baseUrl: llm.baseUrl } : undefined });
  const signal = AbortSignal.timeout(COUNT_TIMEOUT_MS);
  const counted: Record<string, number> = Object.create(null);
  await Promise.all(
    entries.map(async ([nodeId, prompt]) => {
      const parts = [prompt.systemPrompt, prompt.userMessage].filter((text) => text.trim()).map((text) => ({ text }));
      if (parts.length === 0) {
        counted[nodeId] = 0;
        return;
      }
      try {
        const response = await ai.models.countTokens({ model: prompt.model, contents: [{ role: "user", parts }], config: { abortSignal: signal } });
        if (typeof response.totalTokens === "number") counted[nodeId] = response.totalTokens;
      } catch {
        // Unknown model, no network, timeout: the heuristic answers for this node.
      }
    }),
  );
  return counted;
}
