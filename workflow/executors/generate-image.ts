import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  FinishReason,
  Modality,
  type GenerateContentParameters,
  type GenerateContentResponse,
  type GenerateContentResponseUsageMetadata,
  type GoogleGenAI,
} from "@google/genai";
import { probe } from "../ffmpeg";
import { GENERATED_IMAGE_SIZE, usageFromGemini } from "../cost/usage";
import { type Executor, NodeError } from "../execution";
import type { NodeOutputs } from "../values";
import { abortError } from "./abort";
import { checkedCatalog, geminiClient, imageParts, requireApiKey, SAFETY_FINISH_REASONS, safetyBlock, withGeminiRetries } from "./gemini";
import { pngSize } from "./png-size";
import { withTempDir } from "./temp-dir";

export interface GenerateImageOptions {
  /** Wait before the second attempt after a 429/5xx, doubled before the third. */
  retryBaseDelayMs?: number;
}

/** What Gemini's image models answer with (they choose; PNG and JPEG are what they send today), and the file written for each. */
const IMAGE_EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/** Gemini's answer to one image request, as the node keeps it. */
export interface GeneratedImage {
  mimeType: string;
  bytes: Buffer;
  /** The text the model wrote beside the image, if any (shown as the node's note). */
  note: string;
  /** What Gemini says the request used (token counts by modality), for cost accounting. */
  usage: GenerateContentResponseUsageMetadata | undefined;
}

export function createGenerateImage(options: GenerateImageOptions = {}): Executor<"generate-image"> {
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 1_000;

  return async ({ params, inputs, media, llm, signal, reportUsage }): Promise<NodeOutputs> => {
    const apiKey = requireApiKey(llm);
    if (!params.prompt.trim()) throw new NodeError("Type a prompt or connect a Text node to it.");
    const catalog = await checkedCatalog(llm, params.model, "image");

    // With images connected the model edits or follows them; with none it generates from the prompt.
    const request: GenerateContentParameters = {
      model: params.model,
      contents: [{ role: "user", parts: [{ text: params.prompt }, ...(await imageParts(inputs, media, signal))] }],
      config: { responseModalities: [Modality.TEXT, Modality.IMAGE], imageConfig: { aspectRatio: params.aspect_ratio } },
    };
    const ai = geminiClient(apiKey, llm);
    const generated = await withGeminiRetries(() => requestImage(ai, request, { signal, timeoutMs: llm.timeoutMs }), {
      model: params.model,
      kind: "image",
      catalog,
      signal,
      retryBaseDelayMs,
    });
    reportUsage?.({ ...usageFromGemini(params.model, generated.usage ?? {}), images: { count: 1, size: GENERATED_IMAGE_SIZE } });

    return withTempDir(async (dir) => {
      const path = join(dir, `generated.${IMAGE_EXTENSIONS[generated.mimeType]}`);
      await writeFile(path, generated.bytes);
      // A PNG states its size in its header; anything else is read by ffprobe.
      const size = pngSize(generated.bytes) ?? (await probe(path, signal));
      const image = await media.saveFile({ path, mime: generated.mimeType, kind: "image", width: size.width, height: size.height });
      // `note` is no port: nothing connects to it, the node and the run's records show it.
      const outputs: NodeOutputs = { image };
      if (generated.note) outputs.note = generated.note;
      return outputs;
    });
  };
}

export const generateImage = createGenerateImage();

/** One attempt: asks for the image, giving up after `timeoutMs` without an answer. */
async function requestImage(
  ai: GoogleGenAI,
  request: GenerateContentParameters,
  { signal, timeoutMs }: { signal: AbortSignal; timeoutMs: number },
): Promise<GeneratedImage> {
  const attempt = new AbortController();
  const cancel = () => attempt.abort();
  signal.addEventListener("abort", cancel, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    attempt.abort();
  }, timeoutMs);
  try {
    return generatedImage(await ai.models.generateContent({ ...request, config: { ...request.config, abortSignal: attempt.signal } }));
  } catch (error) {
    if (signal.aborted) throw abortError();
    if (timedOut) throw new NodeError(`Gemini did not answer within ${Number((timeoutMs / 1000).toFixed(1))} s.`, true);
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", cancel);
  }
}

/**
 * The image in Gemini's answer (the first inline image part), its text and usage; or the node's
 * error when the prompt or the image was blocked, or no image came back.
 */
export function generatedImage(response: GenerateContentResponse): GeneratedImage {
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason) throw safetyBlock(blockReason);
  const candidate = response.candidates?.[0];
  const finishReason = candidate?.finishReason;
  if (finishReason && SAFETY_FINISH_REASONS.has(finishReason)) throw safetyBlock(finishReason);
  // Thought parts hold the model's drafts and notes, not its answer.
  const parts = (candidate?.content?.parts ?? []).filter((part) => !part.thought);
  const note = parts
    .map((part) => part.text ?? "")
    .join("")
    .trim();
  const inline = parts.find((part) => part.inlineData?.data && part.inlineData.mimeType?.startsWith("image/"))?.inlineData;
  if (!inline?.data || !inline.mimeType) {
    const why = finishReason && finishReason !== FinishReason.STOP ? ` (finish reason: ${finishReason})` : "";
    throw new NodeError(`Gemini returned no image${why}.${note ? ` It said: ${note}` : ""}`);
  }
  if (!Object.hasOwn(IMAGE_EXTENSIONS, inline.mimeType)) {
    throw new NodeError(`Gemini returned an image as ${inline.mimeType}, which Weft does not store; try again or pick another model.`);
  }
  return { mimeType: inline.mimeType, bytes: Buffer.from(inline.data, "base64"), note, usage: response.usageMetadata };
}
