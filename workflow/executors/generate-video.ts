import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ApiError, GenerateVideosOperation, GoogleGenAI } from "@google/genai";
import { z } from "zod";
import { type Executor, type MediaStore, NodeError } from "../execution";
import { videoSettingsProblem } from "../gemini-models";
import { isMediaValue } from "../values";
import { abortError, throwIfAborted } from "./abort";
import { checkedCatalog, firstFrameAsPng, requireApiKey } from "./gemini";
import { withTempDir } from "./temp-dir";

// Veo on the Gemini API (checked 2026-12-03, https://ai.google.dev/gemini-api/docs/video):
// POST /v1beta/models/<model>:predictLongRunning starts an operation, GET /v1beta/<operation name>
// reports it, and the finished video is fetched from the uri it names with the API key. The SDK
// (@google/genai 3.3) refuses generateVideos outside Vertex AI, so the start is a plain request;
// polling goes through the SDK's getVideosOperation. ADR 014.

const API_VERSION = "v1beta";
const GOOGLE_BASE_URL = "https://generativelanguage.googleapis.com";
const DEFAULT_POLLING = { intervalMs: 10_000, timeoutMs: 15 * 60_000 };
/** Veo takes PNG and JPEG first frames. */
const FIRST_FRAME_MIME_TYPES = new Set(["image/png", "image/jpeg"]);

/** What the node keeps with its execution once Gemini has accepted the request: the operation to poll. */
const VideoCheckpointSchema = z.object({ operation: z.string().min(1), startedAt: z.iso.datetime() });
type VideoCheckpoint = z.infer<typeof VideoCheckpointSchema>;

const StartResponseSchema = z.object({ name: z.string().min(1) });
const ErrorBodySchema = z.object({ error: z.object({ message: z.string().optional() }) });

export const generateVideo: Executor<"generate-video"> = async ({ params, inputs, media, llm, signal, checkpoint, wait, reportUsage }) => {
  const apiKey = requireApiKey(llm);
  const baseUrl = (llm.baseUrl ?? GOOGLE_BASE_URL).replace(/\/+$/, "");
  const polling = llm.operationPolling ?? DEFAULT_POLLING;
  const ai = new GoogleGenAI({ apiKey, vertexai: false, httpOptions: { baseUrl, apiVersion: API_VERSION } });

  // An earlier attempt of this very execution already started the operation: poll it, never pay twice.
  const saved = VideoCheckpointSchema.safeParse(await checkpoint.load());
  let state: VideoCheckpoint;
  if (saved.success) {
    state = saved.data;
  } else {
    if (!params.prompt.trim()) throw new NodeError("Type a prompt or connect a Text node to it.");
    const problem = videoSettingsProblem(params.model, {
      aspectRatio: params.aspect_ratio,
      durationSeconds: params.duration_seconds,
      resolution: params.resolution,
    });
    if (problem) throw new NodeError(problem);
    await checkedCatalog(llm, params.model, "video");
    const image = await firstFrame(inputs.image, media, signal);
    const operation = await startOperation({ baseUrl, apiKey, model: params.model, signal }, {
      instances: [{ prompt: params.prompt, ...(image ? { image } : {}) }],
      parameters: { aspectRatio: params.aspect_ratio, durationSeconds: params.duration_seconds, resolution: params.resolution },
    });
    state = { operation, startedAt: new Date().toISOString() };
    await checkpoint.save(state);
  }

  const deadline = Date.parse(state.startedAt) + polling.timeoutMs;
  for (;;) {
    throwIfAborted(signal);
    const operation = await pollOnce(ai, state.operation, signal);
    if (operation?.done) {
      if (operation.error) {
        const message = typeof operation.error.message === "string" ? operation.error.message : JSON.stringify(operation.error);
        throw new NodeError(`Gemini could not make the video: ${message}`);
      }
      const uri = operation.response?.generatedVideos?.[0]?.video?.uri;
      if (!uri) {
        const reasons = operation.response?.raiMediaFilteredReasons ?? [];
        throw new NodeError(
          reasons.length > 0
            ? `Gemini blocked this video for safety reasons: ${reasons.join(" ")}`
            : "Gemini finished without a video.",
        );
      }
      const video = await withTempDir(async (dir) => {
        const path = join(dir, "video.mp4");
        await download(uri, { baseUrl, apiKey, signal }, path);
        return media.saveFile({ path, mime: "video/mp4", kind: "video" });
      });
      // Veo bills the seconds it made at the resolution asked for; reported once the video is in hand.
      reportUsage?.({
        model: params.model,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        thinkingTokens: 0,
        video: { seconds: params.duration_seconds, resolution: params.resolution },
      });
      return { video };
    }
    if (Date.now() >= deadline) {
      throw new NodeError(`Gemini did not finish the video within ${Math.round(polling.timeoutMs / 60_000)} min (operation ${state.operation}).`, true);
    }
    await wait(Math.min(polling.intervalMs, Math.max(0, deadline - Date.now())));
  }
};

async function firstFrame(
  value: unknown,
  media: MediaStore,
  signal: AbortSignal,
): Promise<{ bytesBase64Encoded: string; mimeType: string } | undefined> {
  if (value === undefined) return undefined;
  if (!isMediaValue(value) || value.kind !== "image") throw new NodeError("Only an image can be connected to First frame.");
  const path = await media.localPath(value);
  const png = FIRST_FRAME_MIME_TYPES.has(value.mime) ? null : await firstFrameAsPng(path, signal);
  return { bytesBase64Encoded: (png ?? (await readFile(path))).toString("base64"), mimeType: png ? "image/png" : value.mime };
}

async function startOperation(
  { baseUrl, apiKey, model, signal }: { baseUrl: string; apiKey: string; model: string; signal: AbortSignal },
  body: unknown,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/${API_VERSION}/models/${encodeURIComponent(model)}:predictLongRunning`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": apiKey },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw abortError();
    throw new NodeError(`Could not reach Gemini (${networkDetail(error)}).`, true);
  }
  const text = await response.text();
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(safeJson(text));
    const message = parsed.success ? (parsed.data.error.message ?? text) : text;
    if (response.status === 404) throw new NodeError(`Gemini does not offer the video model "${model}" to this API key: ${message}`);
    if (response.status === 401 || response.status === 403 || /API key not valid/.test(message)) throw new NodeError("Gemini rejected the API key.");
    // Nothing was started: trying again later may succeed.
    throw new NodeError(`Gemini refused to start the video (${response.status}): ${message}`, response.status === 429 || response.status >= 500);
  }
  const parsed = StartResponseSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new NodeError("Gemini accepted the video request but named no operation to follow.");
  return parsed.data.name;
}

/** The operation's state, or undefined after a failure worth asking again (network, 429, 5xx). */
async function pollOnce(ai: GoogleGenAI, name: string, signal: AbortSignal): Promise<GenerateVideosOperation | undefined> {
  const operation = new GenerateVideosOperation();
  operation.name = name;
  try {
    return await ai.operations.getVideosOperation({ operation, config: { abortSignal: signal } });
  } catch (error) {
    if (signal.aborted) throw abortError();
    if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
      throw new NodeError(`Gemini could not report on the video (${error.status}): ${error.message}`);
    }
    // The operation keeps running on Google's side whatever happened to this request.
    return undefined;
  }
}

async function download(
  uri: string,
  { baseUrl, apiKey, signal }: { baseUrl: string; apiKey: string; signal: AbortSignal },
  path: string,
): Promise<void> {
  // The key goes only to the API's own origin, never to wherever a response points.
  if (new URL(uri).origin !== new URL(baseUrl).origin) throw new NodeError(`Gemini named a video outside its API (${new URL(uri).origin}).`);
  let response: Response;
  try {
    response = await fetch(uri, { headers: { "x-goog-api-key": apiKey }, redirect: "follow", signal });
  } catch (error) {
    if (signal.aborted) throw abortError();
    throw new NodeError(`Could not download the video from Gemini (${networkDetail(error)}).`, true);
  }
  if (!response.ok || !response.body) throw new NodeError(`Could not download the video from Gemini (${response.status}).`, response.status >= 500);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(path), { signal });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkDetail(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
  return code ?? (error instanceof Error ? error.message : String(error));
}
