import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ApiError, FinishReason, GoogleGenAI, type GenerateContentParameters, type Part } from "@google/genai";
import { z } from "zod";
import { usageFromGemini, type Usage } from "../cost/usage";
import { ffmpegCommand, runFfmpeg } from "../ffmpeg";
import { DEFAULT_TEXT_MODEL, modelOffer, retiredModelReplacement, unavailableModelMessage, type ModelCatalog } from "../gemini-models";
import { type NodeInputs } from "../values";
import { type Executor, type MediaStore, NodeError } from "../execution";
import { abortError, sleep, throwIfAborted } from "./abort";
import { isMediaValue } from "../values";
import { withTempDir } from "./temp-dir";

export interface RunLlmOptions {
  /** Wait before the second attempt after a 429/5xx, doubled before the third. */
  retryBaseDelayMs?: number;
}

const MAX_ATTEMPTS = 3;

/** Gemini refuses requests over 20 MB; the images travel base64-encoded in the JSON body. */
const MAX_INLINE_BASE64_CHARS = 20 * 1024 * 1024;

/** What Gemini accepts as inline images; others (GIF) are sent as a PNG of their first frame. */
const GEMINI_IMAGE_MIME_TYPES = new Set(["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"]);

const SAFETY_FINISH_REASONS = new Set<string>([
  FinishReason.SAFETY,
  FinishReason.BLOCKLIST,
  FinishReason.PROHIBITED_CONTENT,
  FinishReason.SPII,
  FinishReason.IMAGE_SAFETY,
  FinishReason.IMAGE_PROHIBITED_CONTENT,
]);

export function createRunLlm(options: RunLlmOptions = {}): Executor<"run-llm"> {
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 1_000;

  return async ({ params, inputs, media, llm, signal, onText, reportUsage }) => {
    const apiKey = llm.apiKey?.trim();
    if (!apiKey) throw new NodeError("Gemini is not configured: set GEMINI_API_KEY.");
    if (!params.user_message.trim()) throw new NodeError("Type a user message or connect a Text node to it.");
    const catalog = await llm.catalog?.();
    if (catalog) {
      const offer = modelOffer(params.model, catalog);
      if (offer.status === "unavailable") throw new NodeError(offer.message);
    }

    const request: GenerateContentParameters = {
      model: params.model,
      contents: [{ role: "user", parts: [{ text: params.user_message }, ...(await imageParts(inputs, media, signal))] }],
      config: { systemInstruction: params.system_prompt.trim() ? params.system_prompt : undefined },
    };
    // vertexai: false keeps GOOGLE_GENAI_USE_VERTEXAI in the environment from rerouting calls.
    const ai = new GoogleGenAI({ apiKey, vertexai: false, httpOptions: llm.baseUrl ? { baseUrl: llm.baseUrl } : undefined });

    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      try {
        return { output: await streamAnswer(ai, request, { signal, timeoutMs: llm.timeoutMs, onText, reportUsage }) };
      } catch (error) {
        const outcome = classifyFailure(error, params.model, catalog);
        if (outcome instanceof NodeError) throw outcome;
        if (attempt === MAX_ATTEMPTS) throw new NodeError(`${outcome.transient}; tried ${MAX_ATTEMPTS} times.`, true);
        // Jitter keeps runs that were rate limited together from retrying in lockstep.
        await sleep(retryBaseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() / 2), signal);
      }
    }
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

function safetyBlock(reason: string): NodeError {
  return new NodeError(`Gemini blocked this request for safety reasons (${reason}).`);
}

const GeminiErrorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    details: z.array(z.object({ reason: z.string().optional() })).optional(),
  }),
});

/**
 * The SDK's ApiError carries Gemini's JSON error body in its message (after "got status: …. "
 * when the error arrived inside the stream).
 */
function geminiErrorBody(error: ApiError): { message: string; reasons: string[] } {
  const start = error.message.indexOf("{");
  try {
    const body = GeminiErrorBodySchema.parse(JSON.parse(error.message.slice(start)));
    return {
      message: body.error.message ?? error.message,
      reasons: (body.error.details ?? []).flatMap((detail) => (detail.reason ? [detail.reason] : [])),
    };
  } catch {
    return { message: error.message, reasons: [] };
  }
}

/** A final NodeError, or a description of a transient failure worth another attempt. */
function classifyFailure(error: unknown, model: string, catalog: ModelCatalog | undefined): NodeError | { transient: string } {
  if (error instanceof NodeError) return error;
  if (error instanceof ApiError) {
    const { status } = error;
    if (status === 429) return { transient: "Gemini is rate limiting requests (429)" };
    if (status >= 500) return { transient: `Gemini had a server error (${status})` };
    const body = geminiErrorBody(error);
    if (status === 401 || status === 403 || body.reasons.includes("API_KEY_INVALID")) {
      return new NodeError("Gemini rejected the API key.");
    }
    // "models/… is not found for API version v1, or is not supported for generateContent": what
    // Gemini answers for a retired id, and for one the key cannot use.
    if (status === 404) return new NodeError(modelNotFoundMessage(model, catalog));
    return new NodeError(`Gemini refused the request (${status}): ${body.message}`);
  }
  // fetch reports network failures as TypeError("fetch failed") with the system error as cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return { transient: `Could not reach Gemini (${detail})` };
}

function modelNotFoundMessage(model: string, catalog: ModelCatalog | undefined): string {
  const offer = catalog ? modelOffer(model, catalog) : undefined;
  if (offer?.status === "unavailable") return offer.message;
  const retiredFor = retiredModelReplacement(model);
  // The list offered the model (or did not know it), yet Gemini refused it: retired since.
  const replacement = retiredFor ?? catalog?.models.find((entry) => entry.kind === "text" && entry.id !== model)?.id ?? DEFAULT_TEXT_MODEL;
  return unavailableModelMessage(model, replacement, true);
}

/** The connected images as inline parts, read from Weft's storage (never fetched by URL). */
async function imageParts(inputs: NodeInputs, media: MediaStore, signal: AbortSignal): Promise<Part[]> {
  const connected = inputs.images === undefined ? [] : [inputs.images].flat();
  const parts: Part[] = [];
  for (const image of connected) {
    if (!isMediaValue(image) || image.kind !== "image") {
      throw new NodeError("Only images can be connected to the Images input.");
    }
    const path = await media.localPath(image);
    const inline = GEMINI_IMAGE_MIME_TYPES.has(image.mime)
      ? { mimeType: image.mime, bytes: await readFile(path) }
      : { mimeType: "image/png", bytes: await firstFrameAsPng(path, signal) };
    parts.push({ inlineData: { mimeType: inline.mimeType, data: inline.bytes.toString("base64") } });
  }
  const size = parts.reduce((total, part) => total + (part.inlineData?.data?.length ?? 0), 0);
  if (size > MAX_INLINE_BASE64_CHARS) {
    throw new NodeError(
      `The images are too large to send to Gemini: ${(size / 1024 / 1024).toFixed(1)} MB encoded, and a request may carry at most 20 MB.`,
    );
  }
  return parts;
}

function firstFrameAsPng(path: string, signal: AbortSignal): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const target = join(dir, "image.png");
    await runFfmpeg(ffmpegCommand(path).outputOptions("-frames:v", "1").output(target), signal);
    return readFile(target);
  });
}
