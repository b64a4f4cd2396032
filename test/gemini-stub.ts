import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { withTempDir } from "~workflow/executors/temp-dir";
import { runFfmpeg } from "~workflow/ffmpeg";
import { catalogModelFromListing, FALLBACK_CATALOG } from "~workflow/gemini-models";

/**
 * A local server speaking the part of Gemini's REST API that @google/genai 3.x uses for text
 * generation, so tests run the real SDK:
 *   POST /v1/models/<model>:streamGenerateContent?alt=sse → Server-Sent Events, one
 *        GenerateContentResponse JSON per `data:` event;
 *   POST /v1/models/<model>:generateContent → one GenerateContentResponse JSON;
 *   POST /v1/models/<model>:countTokens → `{totalTokens}`, one token per 4 characters of the
 *        text parts (or what countTokensReply programmed), as `models.countTokens` reads it;
 *   GET  /v1/models?pageSize&pageToken → `{models: Model[], nextPageToken?}`, what `models.list`
 *        pages through, each model as Google describes it (name "models/<id>", displayName,
 *        supportedGenerationMethods, token limits).
 * An image model (kind "image" by the catalog's own rule) answers generateContent as the real ones
 * do: the image as `inlineData` (a PNG of the size Gemini makes at 1K for the requested
 * `generationConfig.imageConfig.aspectRatio`) and the reply's text, if any, as a text part.
 * It also runs Veo's long-running video generation (https://ai.google.dev/gemini-api/docs/video, 2026-12-03):
 *   POST /v1beta/models/<model>:predictLongRunning → `{name: "models/<model>/operations/<id>"}`;
 *   GET  /v1beta/models/<model>/operations/<id> → `{name, done: false}` until the programmed
 *        number of polls, then `{done: true, response: {generateVideoResponse: {generatedSamples:
 *        [{video: {uri}}]}}}`, or Google's safety-filtered or failed-operation answer;
 *   GET  /v1beta/files/<id>:download?alt=media → a real H.264 mp4 of the requested length.
 * A model the stub does not list (a retired id) gets Google's 404 for generateContent, as the
 * real service answers: "models/<id> is not found for API version v1, or is not supported…".
 * Errors use Google's JSON error body ({error: {code, message, status, details}}), which the SDK
 * turns into an ApiError with that status.
 */

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  inlineData?: { mimeType?: string; data?: string };
}

export interface GeminiContent {
  role?: string;
  parts?: GeminiPart[];
}

/** The JSON body the SDK sends (only the fields Weft uses are typed). */
export interface GeminiRequestBody {
  contents?: GeminiContent[];
  systemInstruction?: GeminiContent;
  generationConfig?: Record<string, unknown>;
}

export interface RecordedGeminiRequest {
  method: string;
  /** Path without the query, e.g. "/v1/models/gemini-3.6-flash:streamGenerateContent". */
  path: string;
  query: Record<string, string>;
  /** From the path; null for paths the stub does not know. */
  model: string | null;
  stream: boolean;
  /** The x-goog-api-key header. */
  apiKey: string | undefined;
  headers: IncomingHttpHeaders;
  body: GeminiRequestBody;
}

/** One model of `models.list`, in the REST API's shape. */
export interface StubModel {
  name: string;
  displayName?: string;
  supportedGenerationMethods: string[];
  inputTokenLimit?: number;
  outputTokenLimit?: number;
}

/**
 * What the stub lists unless told otherwise: the shipped current models, plus two Gemini lists
 * that Weft does not offer (an embedding model, a speech model), as a real key sees them.
 */
export const DEFAULT_STUB_MODELS: StubModel[] = [
  ...FALLBACK_CATALOG.models.map((model) => ({
    name: `models/${model.id}`,
    displayName: model.label,
    supportedGenerationMethods:
      model.kind === "video" ? ["predictLongRunning"] : ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
    inputTokenLimit: model.inputTokenLimit ?? 1_048_576,
    outputTokenLimit: model.outputTokenLimit ?? 65_536,
  })),
  { name: "models/gemini-embedding-2", displayName: "Gemini Embedding 2", supportedGenerationMethods: ["embedContent", "countTokens"] },
  { name: "models/gemini-3.1-flash-tts-preview", displayName: "Gemini 3.1 Flash TTS", supportedGenerationMethods: ["generateContent", "countTokens"] },
];

/** A model entry as Google lists it. */
export function stubModel(id: string, options: { displayName?: string; methods?: string[] } = {}): StubModel {
  return {
    name: `models/${id}`,
    displayName: options.displayName ?? id,
    supportedGenerationMethods: options.methods ?? ["generateContent", "countTokens"],
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
  };
}

/** How the stub answers one request. Build them with the functions below. */
/** The usageMetadata the stub reports with an answer (Gemini's field names). */
export interface StubUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

export type GeminiStubReply =
  | { type: "text"; tokens: string[]; tokenDelayMs: number; firstTokenDelayMs: number; finishReason: string; usage: StubUsage }
  | { type: "error"; status: number; statusName: string; message: string; reason?: string }
  | { type: "prompt-blocked"; blockReason: string }
  /** For image models; `image` null answers no image, undefined a PNG of the requested aspect ratio. */
  | { type: "image"; text: string; finishReason: string; image?: { mimeType: string; bytes: Buffer } | null }
  | { type: "hang" };

type ErrorReply = Extract<GeminiStubReply, { type: "error" }>;

const DEFAULT_USAGE: StubUsage = { promptTokenCount: 8, candidatesTokenCount: 4 };

/**
 * Streams `tokens` one SSE event each, `tokenDelayMs` apart (the first after `firstTokenDelayMs`,
 * by default the same); the last carries `finishReason` and `usage`.
 */
export function textReply(
  tokens: string | string[],
  options: { tokenDelayMs?: number; firstTokenDelayMs?: number; finishReason?: string; usage?: StubUsage } = {},
): GeminiStubReply {
  return {
    type: "text",
    tokens: typeof tokens === "string" ? [tokens] : tokens,
    tokenDelayMs: options.tokenDelayMs ?? 0,
    firstTokenDelayMs: options.firstTokenDelayMs ?? options.tokenDelayMs ?? 0,
    finishReason: options.finishReason ?? "STOP",
    usage: options.usage ?? DEFAULT_USAGE,
  };
}

export function rateLimited(): ErrorReply {
  return {
    type: "error",
    status: 429,
    statusName: "RESOURCE_EXHAUSTED",
    message: "You exceeded your current quota, please check your plan and billing details.",
  };
}

export function serverError(status = 500): ErrorReply {
  return {
    type: "error",
    status,
    statusName: status === 503 ? "UNAVAILABLE" : "INTERNAL",
    message: status === 503 ? "The model is overloaded. Please try again later." : "An internal error has occurred.",
  };
}

/** What Gemini answers for a key it does not know: 400, not 401. */
export function invalidApiKey(): ErrorReply {
  return {
    type: "error",
    status: 400,
    statusName: "INVALID_ARGUMENT",
    message: "API key not valid. Please pass a valid API key.",
    reason: "API_KEY_INVALID",
  };
}

/** The prompt itself was refused: no candidates, promptFeedback.blockReason set. */
export function promptBlocked(blockReason = "SAFETY"): GeminiStubReply {
  return { type: "prompt-blocked", blockReason };
}

/** The answer was stopped: a candidate without content whose finishReason is SAFETY (IMAGE_SAFETY for a withheld image). */
export function stoppedForSafety(finishReason = "SAFETY"): GeminiStubReply {
  return textReply([], { finishReason });
}

/** An image model's answer: a PNG of the requested aspect ratio (or `image`), with `text` beside it when not empty. */
export function imageReply(text = "", options: { image?: { mimeType: string; bytes: Buffer } } = {}): GeminiStubReply {
  return { type: "image", text, finishReason: "STOP", image: options.image };
}

/** An image model that answered without an image: finishReason NO_IMAGE, and what it said instead. */
export function noImage(text = ""): GeminiStubReply {
  return { type: "image", text, finishReason: "NO_IMAGE", image: null };
}

/** Accepts the request and never answers (until the client gives up or the stub closes). */
export function hang(): GeminiStubReply {
  return { type: "hang" };
}

/** How the stub's next video operations end. */
export type VideoOutcome =
  | { type: "video"; pollsUntilDone: number }
  | { type: "safety-filtered"; pollsUntilDone: number; reasons: string[] }
  | { type: "operation-error"; pollsUntilDone: number; code: number; message: string };

export function videoDone(pollsUntilDone = 1): VideoOutcome {
  return { type: "video", pollsUntilDone };
}

/** Veo's answer when its filters kept the video back: done, no samples, the reasons given. */
export function videoSafetyFiltered(pollsUntilDone = 1): VideoOutcome {
  return {
    type: "safety-filtered",
    pollsUntilDone,
    reasons: ["Your prompt may violate our policies. Please rephrase it and try again."],
  };
}

export function videoOperationError(pollsUntilDone = 1): VideoOutcome {
  return { type: "operation-error", pollsUntilDone, code: 13, message: "Video generation failed due to an internal error." };
}

/** One video operation the stub started. */
export interface StubVideoOperation {
  name: string;
  model: string;
  /** The predictLongRunning body as sent. */
  body: { instances?: { prompt?: string; image?: { bytesBase64Encoded?: string; mimeType?: string } }[]; parameters?: Record<string, unknown> };
  polls: number;
  downloads: number;
  outcome: VideoOutcome;
}

export interface GeminiStub {
  /** Give this to the SDK as httpOptions.baseUrl (GEMINI_BASE_URL). */
  baseUrl: string;
  /** Every generation request received, in order (model list and countTokens requests are kept apart). */
  requests: RecordedGeminiRequest[];
  /** Every countTokens request (free: what estimates ask before a run), in order. */
  countTokensRequests: RecordedGeminiRequest[];
  /** How many `models.list` pages were asked for. */
  readonly listRequests: number;
  /** The models `models.list` answers from now on; ids not listed get 404 for generateContent. */
  setModels(models: StubModel[]): void;
  /**
   * The replies for the next requests, in order; the last one then answers every later
   * request. E.g. program(rateLimited(), rateLimited(), textReply("ok")).
   */
  program(...replies: GeminiStubReply[]): void;
  /** Every predictLongRunning call (one per video paid for), in order. */
  videoOperations: StubVideoOperation[];
  /** How the next video operations end (the last one for every later operation). */
  programVideo(...outcomes: VideoOutcome[]): void;
  /** Forgets recorded requests and goes back to the default reply and model list. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_REPLY = textReply(["Hello ", "from the ", "Gemini stub."]);
const ROUTE = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;
const LIST_ROUTE = /^\/(v1beta|v1|v1alpha)\/models$/;
const VIDEO_START_ROUTE = /^\/(v1beta|v1)\/models\/([^/:]+):predictLongRunning$/;
const OPERATION_ROUTE = /^\/(v1beta|v1)\/(models\/[^/:]+\/operations\/[a-z0-9]+)$/;
const FILE_ROUTE = /^\/(v1beta|v1)\/files\/([a-z0-9]+):download$/;

/**
 * Starts the stub on a free local port. With `apiKey`, requests carrying another key get
 * Gemini's invalid-key answer (as the real service would) without using up a programmed reply.
 */
export async function startGeminiStub(
  options: { apiKey?: string; models?: StubModel[]; /** Largest page the list answers (Google's is 1000). */ maxPageSize?: number } = {},
): Promise<GeminiStub> {
  const requests: RecordedGeminiRequest[] = [];
  const countTokensRequests: RecordedGeminiRequest[] = [];
  let replies: GeminiStubReply[] = [DEFAULT_REPLY];
  const initialModels = options.models ?? DEFAULT_STUB_MODELS;
  let models = initialModels;
  let listRequests = 0;
  const videoOperations: StubVideoOperation[] = [];
  let videoOutcomes: VideoOutcome[] = [videoDone()];
  let baseUrl = "";

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { code: 500, message: String(error), status: "INTERNAL" } });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://stub");
    if (LIST_ROUTE.test(url.pathname) && request.method === "GET") {
      listRequests++;
      if (options.apiKey !== undefined && headerValue(request.headers["x-goog-api-key"]) !== options.apiKey) return sendError(response, invalidApiKey());
      return sendJson(response, 200, modelPage(models, url.searchParams, options.maxPageSize ?? 1000));
    }
    if (VIDEO_START_ROUTE.test(url.pathname) || OPERATION_ROUTE.test(url.pathname) || FILE_ROUTE.test(url.pathname)) {
      if (options.apiKey !== undefined && headerValue(request.headers["x-goog-api-key"]) !== options.apiKey) return sendError(response, invalidApiKey());
      return handleVideo(request, response, url.pathname);
    }
    const route = ROUTE.exec(url.pathname);
    const rawBody = await readBody(request);
    let body: GeminiRequestBody = {};
    try {
      body = rawBody ? JSON.parse(rawBody) : {};
    } catch {
      return sendError(response, { type: "error", status: 400, statusName: "INVALID_ARGUMENT", message: "Invalid JSON payload received." });
    }
    const apiKey = headerValue(request.headers["x-goog-api-key"]);
    (route?.[3] === "countTokens" ? countTokensRequests : requests).push({
      method: request.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      model: route ? route[2] : null,
      stream: route?.[3] === "streamGenerateContent",
      apiKey,
      headers: request.headers,
      body,
    });

    if (!route || request.method !== "POST") {
      return sendError(response, { type: "error", status: 404, statusName: "NOT_FOUND", message: `No route for ${request.method} ${url.pathname}` });
    }
    if (options.apiKey !== undefined && apiKey !== options.apiKey) return sendError(response, invalidApiKey());

    const model = route[2];
    if (!models.some((listed) => listed.name === `models/${model}`)) {
      return sendError(response, {
        type: "error",
        status: 404,
        statusName: "NOT_FOUND",
        message: `models/${model} is not found for API version ${route[1]}, or is not supported for ${route[3]}. Call ListModels to see the list of available models and their supported methods.`,
      });
    }
    // Counting is free and answered apart: it uses up no programmed reply.
    if (route[3] === "countTokens") return sendJson(response, 200, { totalTokens: countTokensOf(body) });
    const [reply] = replies;
    if (replies.length > 1) replies.shift();
    if (reply.type === "hang") return;
    if (reply.type === "error") return sendError(response, reply);
    const listed = models.find((entry) => entry.name === `models/${model}`);
    const imageModel = listed !== undefined && catalogModelFromListing({ ...listed, supportedActions: listed.supportedGenerationMethods })?.kind === "image";
    if (route[3] === "generateContent" && (reply.type === "image" || (imageModel && reply.type === "text"))) {
      // A text reply to an image model: the image with that text, or, stopped (for safety), neither.
      const stopped = reply.type === "text" && reply.finishReason !== "STOP";
      const image = reply.type === "image" ? reply : { type: "image" as const, text: reply.tokens.join(""), finishReason: reply.finishReason, image: stopped ? null : undefined };
      return sendJson(response, 200, imageResponse(image, model, body));
    }
    if (reply.type === "image") return sendError(response, { type: "error", status: 400, statusName: "INVALID_ARGUMENT", message: "The stub answers images to generateContent only." });
    if (route[3] === "generateContent") return sendJson(response, 200, wholeResponse(reply, model));
    await streamResponse(response, reply, model);
  }

  async function handleVideo(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const start = VIDEO_START_ROUTE.exec(path);
    if (start && request.method === "POST") {
      const model = start[2];
      if (!models.some((listed) => listed.name === `models/${model}`)) {
        return sendError(response, { type: "error", status: 404, statusName: "NOT_FOUND", message: `models/${model} is not found for API version ${start[1]}, or is not supported for predictLongRunning.` });
      }
      const [outcome] = videoOutcomes;
      if (videoOutcomes.length > 1) videoOutcomes.shift();
      const operation: StubVideoOperation = {
        name: `models/${model}/operations/${Math.random().toString(36).slice(2, 14)}`,
        model,
        body: JSON.parse(await readBody(request)),
        polls: 0,
        downloads: 0,
        outcome,
      };
      videoOperations.push(operation);
      return sendJson(response, 200, { name: operation.name });
    }
    const polled = OPERATION_ROUTE.exec(path);
    if (polled && request.method === "GET") {
      const operation = videoOperations.find((candidate) => candidate.name === polled[2]);
      if (!operation) return sendError(response, { type: "error", status: 404, statusName: "NOT_FOUND", message: `Operation ${polled[2]} not found.` });
      operation.polls++;
      if (operation.polls < operation.outcome.pollsUntilDone) return sendJson(response, 200, { name: operation.name });
      // The video's address is on the host the client called, as Google's is (a proxy in front of the stub keeps its own).
      return sendJson(response, 200, finishedOperation(operation, request.headers.host ? `http://${request.headers.host}` : baseUrl));
    }
    const file = FILE_ROUTE.exec(path);
    const operation = file ? videoOperations.find((candidate) => fileIdOf(candidate) === file[2]) : undefined;
    if (!operation) return sendError(response, { type: "error", status: 404, statusName: "NOT_FOUND", message: `No route for ${request.method} ${path}` });
    operation.downloads++;
    const seconds = Number(operation.body.parameters?.durationSeconds ?? 8);
    const bytes = await stubVideo(Number.isFinite(seconds) && seconds > 0 ? seconds : 8);
    response.writeHead(200, { "content-type": "video/mp4", "content-length": bytes.length });
    response.end(bytes);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    requests,
    countTokensRequests,
    videoOperations,
    programVideo(...next) {
      if (next.length === 0) throw new Error("programVideo() needs at least one outcome");
      videoOutcomes = next;
    },
    get listRequests() {
      return listRequests;
    },
    setModels(next) {
      models = next;
    },
    program(...next) {
      if (next.length === 0) throw new Error("program() needs at least one reply");
      replies = next;
    },
    reset() {
      requests.length = 0;
      countTokensRequests.length = 0;
      videoOperations.length = 0;
      videoOutcomes = [videoDone()];
      replies = [DEFAULT_REPLY];
      models = initialModels;
      listRequests = 0;
    },
    close() {
      // Hanging requests would otherwise keep the server open forever.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function fileIdOf(operation: StubVideoOperation): string {
  return operation.name.split("/").at(-1)!;
}

function finishedOperation(operation: StubVideoOperation, baseUrl: string) {
  const { outcome } = operation;
  if (outcome.type === "operation-error") {
    return { name: operation.name, done: true, error: { code: outcome.code, message: outcome.message } };
  }
  const generateVideoResponse =
    outcome.type === "safety-filtered"
      ? { raiMediaFilteredCount: 1, raiMediaFilteredReasons: outcome.reasons }
      : { generatedSamples: [{ video: { uri: `${baseUrl}/v1beta/files/${fileIdOf(operation)}:download?alt=media` } }] };
  return {
    name: operation.name,
    done: true,
    response: { "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse", generateVideoResponse },
  };
}

const stubVideos = new Map<number, Promise<Buffer>>();

/** A small real H.264 mp4 of `seconds` (made once per length), what a player and ffprobe accept. */
function stubVideo(seconds: number): Promise<Buffer> {
  let video = stubVideos.get(seconds);
  if (!video) {
    video = withTempDir(async (dir) => {
      const path = join(dir, "veo.mp4");
      const args = ["-f", "lavfi", "-i", "testsrc=size=128x72:rate=24", "-t", String(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", path];
      await runFfmpeg(args, AbortSignal.timeout(30_000));
      return readFile(path);
    });
    stubVideos.set(seconds, video);
  }
  return video;
}

/** One page of the list: `pageSize` models after the offset `pageToken` names. */
function modelPage(models: StubModel[], query: URLSearchParams, maxPageSize: number) {
  const size = Math.max(1, Math.min(maxPageSize, Number(query.get("pageSize")) || 50));
  const start = Number(query.get("pageToken") ?? 0) || 0;
  const page = models.slice(start, start + size);
  return { models: page, ...(start + size < models.length ? { nextPageToken: String(start + size) } : {}) };
}

type SuccessReply = Extract<GeminiStubReply, { type: "text" | "prompt-blocked" }>;

function usageMetadata(usage: StubUsage = DEFAULT_USAGE) {
  return { ...usage, totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0) };
}

/** One token per 4 characters of text, rounded up: predictable for tests to assert against. */
export function countTokensOf(body: GeminiRequestBody): number {
  const chars = (body.contents ?? []).flatMap((content) => content.parts ?? []).reduce((sum, part) => sum + (part.text?.length ?? 0), 0);
  return Math.ceil(chars / 4);
}

function candidate(text: string | null, finishReason?: string) {
  return {
    ...(text === null ? {} : { content: { parts: [{ text }], role: "model" } }),
    ...(finishReason ? { finishReason } : {}),
    index: 0,
  };
}

function wholeResponse(reply: SuccessReply, model: string) {
  if (reply.type === "prompt-blocked") {
    return { promptFeedback: { blockReason: reply.blockReason }, usageMetadata: usageMetadata(), modelVersion: model };
  }
  const text = reply.tokens.join("");
  return { candidates: [candidate(text || null, reply.finishReason)], usageMetadata: usageMetadata(reply.usage), modelVersion: model };
}

/**
 * The size Gemini's image models make at the default 1K for each aspect ratio (checked
 * 2026-12-03: https://ai.google.dev/gemini-api/docs/image-generation, "Aspect ratios and image size").
 */
export const STUB_IMAGE_SIZES: Record<string, { width: number; height: number }> = {
  "1:1": { width: 1024, height: 1024 },
  "2:3": { width: 832, height: 1248 },
  "3:2": { width: 1248, height: 832 },
  "3:4": { width: 864, height: 1184 },
  "4:3": { width: 1184, height: 864 },
  "4:5": { width: 896, height: 1152 },
  "5:4": { width: 1152, height: 896 },
  "9:16": { width: 768, height: 1344 },
  "16:9": { width: 1344, height: 768 },
  "21:9": { width: 1536, height: 672 },
};

function imageResponse(reply: Extract<GeminiStubReply, { type: "image" }>, model: string, body: GeminiRequestBody) {
  const imageConfig = body.generationConfig?.imageConfig as { aspectRatio?: string } | undefined;
  const size = STUB_IMAGE_SIZES[imageConfig?.aspectRatio ?? "1:1"];
  if (!size) throw new Error(`unsupported aspect ratio ${imageConfig?.aspectRatio}`);
  const image = reply.image === undefined ? { mimeType: "image/png", bytes: solidPng(size.width, size.height) } : reply.image;
  const parts = [
    ...(reply.text ? [{ text: reply.text }] : []),
    ...(image ? [{ inlineData: { mimeType: image.mimeType, data: image.bytes.toString("base64") } }] : []),
  ];
  return {
    candidates: [{ ...(parts.length > 0 ? { content: { parts, role: "model" } } : {}), finishReason: reply.finishReason, index: 0 }],
    usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 1290, totalTokenCount: 1298, candidatesTokensDetails: [{ modality: "IMAGE", tokenCount: 1290 }] },
    modelVersion: model,
  };
}

/** A real PNG (8-bit RGB, one violet colour) of the given size. */
export function solidPng(width: number, height: number): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([0x8b, 0x5c, 0xf6], 1 + x * 3);
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function streamResponse(response: ServerResponse, reply: SuccessReply, model: string): Promise<void> {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  response.flushHeaders();
  const events =
    reply.type === "prompt-blocked" || reply.tokens.length === 0
      ? [wholeResponse(reply, model)]
      : reply.tokens.map((token, index) => {
          const last = index === reply.tokens.length - 1;
          return {
            candidates: [candidate(token, last ? reply.finishReason : undefined)],
            ...(last ? { usageMetadata: usageMetadata(reply.usage) } : {}),
            modelVersion: model,
          };
        });
  for (const [index, event] of events.entries()) {
    const delayMs = reply.type !== "text" ? 0 : index === 0 ? reply.firstTokenDelayMs : reply.tokenDelayMs;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // The client went away (aborted or timed out): stop like the real service would.
    if (response.destroyed) return;
    response.write(`data: ${JSON.stringify(event)}\r\n\r\n`);
  }
  response.end();
}

function sendError(response: ServerResponse, reply: ErrorReply): void {
  const details = reply.reason
    ? [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: reply.reason, domain: "googleapis.com" }]
    : undefined;
  sendJson(response, reply.status, {
    error: { code: reply.status, message: reply.message, status: reply.statusName, ...(details ? { details } : {}) },
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  response.end(JSON.stringify(body));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
