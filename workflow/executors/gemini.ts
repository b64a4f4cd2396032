import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ApiError, FinishReason, GoogleGenAI, type Part } from "@google/genai";
import { z } from "zod";
import { ffmpegCommand, runFfmpeg } from "../ffmpeg";
import { DEFAULT_IMAGE_MODEL, DEFAULT_TEXT_MODEL, modelOffer, retiredModelReplacement, unavailableModelMessage, type ModelCatalog, type ModelKind } from "../gemini-models";
import { type LlmSettings, type MediaStore, NodeError } from "../execution";
import { isMediaValue, type NodeInputs } from "../values";
import { sleep, throwIfAborted } from "./abort";
import { withTempDir } from "./temp-dir";

// What the Gemini nodes (Run LLM, Generate Image) share: the client, the model check, the images
// they send, how Gemini's failures read on a node and which of them are worth another attempt.

const MAX_ATTEMPTS = 3;

/** Gemini refuses requests over 20 MB; the images travel base64-encoded in the JSON body. */
const MAX_INLINE_BASE64_CHARS = 20 * 1024 * 1024;

/** What Gemini accepts as inline images; others (GIF) are sent as a PNG of their first frame. */
const GEMINI_IMAGE_MIME_TYPES = new Set(["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"]);

/** Finish reasons that mean the answer was withheld for its content (text or image). */
export const SAFETY_FINISH_REASONS = new Set<string>([
  FinishReason.SAFETY,
  FinishReason.BLOCKLIST,
  FinishReason.PROHIBITED_CONTENT,
  FinishReason.SPII,
  FinishReason.IMAGE_SAFETY,
  FinishReason.IMAGE_PROHIBITED_CONTENT,
]);

export function safetyBlock(reason: string): NodeError {
  return new NodeError(`Gemini blocked this request for safety reasons (${reason}).`);
}

/** The key, or the node's error when Gemini is not configured. */
export function requireApiKey(llm: LlmSettings): string {
  const apiKey = llm.apiKey?.trim();
  if (!apiKey) throw new NodeError("Gemini is not configured: set GEMINI_API_KEY.");
  return apiKey;
}

export function geminiClient(apiKey: string, llm: LlmSettings): GoogleGenAI {
  // vertexai: false keeps GOOGLE_GENAI_USE_VERTEXAI in the environment from rerouting calls.
  return new GoogleGenAI({ apiKey, vertexai: false, httpOptions: llm.baseUrl ? { baseUrl: llm.baseUrl } : undefined });
}

/** The catalog (when there is one), after failing at once for a model it says is gone. */
export async function checkedCatalog(llm: LlmSettings, model: string, kind: ModelKind): Promise<ModelCatalog | undefined> {
  const catalog = await llm.catalog?.();
  if (catalog) {
    const offer = modelOffer(model, catalog, kind);
    if (offer.status === "unavailable") throw new NodeError(offer.message);
  }
  return catalog;
}

/**
 * Runs `attempt` until it succeeds, retrying rate limits, 5xx and network failures with backoff
 * (up to three attempts); every other failure is the node's final error.
 */
export async function withGeminiRetries<T>(
  attempt: () => Promise<T>,
  { model, kind, catalog, signal, retryBaseDelayMs }: { model: string; kind: ModelKind; catalog: ModelCatalog | undefined; signal: AbortSignal; retryBaseDelayMs: number },
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    throwIfAborted(signal);
    try {
      return await attempt();
    } catch (error) {
      const outcome = classifyGeminiFailure(error, model, catalog, kind);
      if (outcome instanceof NodeError) throw outcome;
      if (attemptNumber === MAX_ATTEMPTS) throw new NodeError(`${outcome.transient}; tried ${MAX_ATTEMPTS} times.`, true);
      // Jitter keeps runs that were rate limited together from retrying in lockstep.
      await sleep(retryBaseDelayMs * 2 ** (attemptNumber - 1) * (1 + Math.random() / 2), signal);
    }
  }
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
function classifyGeminiFailure(error: unknown, model: string, catalog: ModelCatalog | undefined, kind: ModelKind): NodeError | { transient: string } {
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
    if (status === 404) return new NodeError(modelNotFoundMessage(model, catalog, kind));
    return new NodeError(`Gemini refused the request (${status}): ${body.message}`);
  }
  // fetch reports network failures as TypeError("fetch failed") with the system error as cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return { transient: `Could not reach Gemini (${detail})` };
}

function modelNotFoundMessage(model: string, catalog: ModelCatalog | undefined, kind: ModelKind): string {
  const offer = catalog ? modelOffer(model, catalog, kind) : undefined;
  if (offer?.status === "unavailable") return offer.message;
  const retiredFor = retiredModelReplacement(model);
  // The list offered the model (or did not know it), yet Gemini refused it: retired since.
  const sameKind = catalog?.models.find((entry) => entry.kind === kind && entry.id !== model)?.id;
  const replacement = retiredFor ?? sameKind ?? (kind === "image" ? DEFAULT_IMAGE_MODEL : DEFAULT_TEXT_MODEL);
  return unavailableModelMessage(model, replacement, true);
}

/** The connected images as inline parts, read from Weft's storage (never fetched by URL). */
export async function imageParts(inputs: NodeInputs, media: MediaStore, signal: AbortSignal): Promise<Part[]> {
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

/** The first frame of an image file as PNG bytes (for formats Gemini does not take, such as GIF). */
export function firstFrameAsPng(path: string, signal: AbortSignal): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const target = join(dir, "image.png");
    await runFfmpeg(ffmpegCommand(path).outputOptions("-frames:v", "1").output(target), signal);
    return readFile(target);
  });
}
