import { type GenerateContentParameters, type GoogleGenAI } from "@google/genai";
import { usageFromGemini, type Usage } from "../cost/usage";
import { type Executor, NodeError } from "../execution";
import { abortError } from "./abort";
import { checkedCatalog, geminiClient, imageParts, requireApiKey, SAFETY_FINISH_REASONS, safetyBlock, withGeminiRetries } from "./gemini";

export interface RunLlmOptions {
  /** Wait before the second attempt after a 429/5xx, doubled before the third. */
  retryBaseDelayMs?: number;
}

export function createRunLlm(options: RunLlmOptions = {}): Executor<"run-llm"> {
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 1_000;

  return async ({ params, inputs, media, llm, signal, onText, reportUsage }) => {
    const apiKey = requireApiKey(llm);
    if (!params.user_message.trim()) throw new NodeError("Type a user message or connect a Text node to it.");
    const catalog = await checkedCatalog(llm, params.model, "text");

    const request: GenerateContentParameters = {
      model: params.model,
      contents: [{ role: "user", parts: [{ text: params.user_message }, ...(await imageParts(inputs, media, signal))] }],
      config: { systemInstruction: params.system_prompt.trim() ? params.system_prompt : undefined },
    };
    const ai = geminiClient(apiKey, llm);
    const output = await withGeminiRetries(() => streamAnswer(ai, request, { signal, timeoutMs: llm.timeoutMs, onText, reportUsage }), {
      model: params.model,
      kind: "text",
      catalog,
      signal,
      retryBaseDelayMs,
    });
    return { output };
  };
}

export const runLlm = createRunLlm();

/** One attempt: streams the answer, reporting the text so far after every chunk. */
async function streamAnswer(
  ai: GoogleGenAI,
  request: GenerateContentParameters,
  {
    signal,
    timeoutMs,
    onText,
    reportUsage,
  }: { signal: AbortSignal; timeoutMs: number; onText?: (textSoFar: string) => void; reportUsage?: (usage: Usage) => void },
): Promise<string> {
  const attempt = new AbortController();
  const cancel = () => attempt.abort();
  signal.addEventListener("abort", cancel, { once: true });
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Restarted by every chunk: an answer that keeps streaming is an answer, however long.
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, timeoutMs);
  };
  restartTimer();
  // Gemini sends the running totals with the chunks; the last one it sent is what the call used.
  let usage: Usage | undefined;
  try {
    const stream = await ai.models.generateContentStream({
      ...request,
      config: { ...request.config, abortSignal: attempt.signal },
    });
    let text = "";
    let finishReason: string | undefined;
    for await (const chunk of stream) {
      restartTimer();
      if (chunk.usageMetadata) usage = usageFromGemini(request.model, chunk.usageMetadata);
      const blockReason = chunk.promptFeedback?.blockReason;
      if (blockReason) throw safetyBlock(blockReason);
      const candidate = chunk.candidates?.[0];
      finishReason = candidate?.finishReason ?? finishReason;
      if (finishReason && SAFETY_FINISH_REASONS.has(finishReason)) throw safetyBlock(finishReason);
      // Thought summaries are the model's notes, not its answer.
      const piece = (candidate?.content?.parts ?? [])
        .filter((part) => !part.thought)
        .map((part) => part.text ?? "")
        .join("");
      if (piece) {
        text += piece;
        onText?.(text);
      }
    }
    if (!text.trim()) {
      throw new NodeError(`Gemini returned an empty answer${finishReason ? ` (finish reason: ${finishReason})` : ""}.`);
    }
    return text;
  } catch (error) {
    if (signal.aborted) throw abortError();
    if (timedOut) throw new NodeError(`Gemini did not answer within ${Number((timeoutMs / 1000).toFixed(1))} s.`, true);
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", cancel);
    // Reported however the attempt ended: a blocked or abandoned answer is billed for what it used.
    if (usage) reportUsage?.(usage);
    // Releases the connection when the answer was abandoned part way (safety block, error).
    attempt.abort();
  }
}
