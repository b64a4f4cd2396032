import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FALLBACK_CATALOG } from "~workflow/gemini-models";

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
  /** Path without the query, e.g. "/v1/models/gemini-3.5-flash:streamGenerateContent". */
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
    supportedGenerationMethods: ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
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
  | { type: "text"; tokens: string[]; tokenDelayMs: number; finishReason: string; usage: StubUsage }
  | { type: "error"; status: number; statusName: string; message: string; reason?: string }
  | { type: "prompt-blocked"; blockReason: string }
  | { type: "hang" };

type ErrorReply = Extract<GeminiStubReply, { type: "error" }>;

const DEFAULT_USAGE: StubUsage = { promptTokenCount: 8, candidatesTokenCount: 4 };

/** Streams `tokens` one SSE event each, `tokenDelayMs` apart; the last carries `finishReason` and `usage`. */
export function textReply(
  tokens: string | string[],
  options: { tokenDelayMs?: number; finishReason?: string; usage?: StubUsage } = {},
): GeminiStubReply {
  return {
    type: "text",
    tokens: typeof tokens === "string" ? [tokens] : tokens,
    tokenDelayMs: options.tokenDelayMs ?? 0,
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

/** The answer was stopped: a candidate without text whose finishReason is SAFETY. */
export function stoppedForSafety(): GeminiStubReply {
  return textReply([], { finishReason: "SAFETY" });
}

/** Accepts the request and never answers (until the client gives up or the stub closes). */
export function hang(): GeminiStubReply {
  return { type: "hang" };
}

export interface GeminiStub {
  /** Give this to the SDK as httpOptions.baseUrl (GEMINI_BASE_URL). */
  baseUrl: string;
  /** Every generation request received, in order (model list requests are counted apart). */
  requests: RecordedGeminiRequest[];
  /** How many `models.list` pages were asked for. */
  readonly listRequests: number;
  /** The models `models.list` answers from now on; ids not listed get 404 for generateContent. */
  setModels(models: StubModel[]): void;
  /**
   * The replies for the next requests, in order; the last one then answers every later
   * request. E.g. program(rateLimited(), rateLimited(), textReply("ok")).
   */
  program(...replies: GeminiStubReply[]): void;
  /** Forgets recorded requests and goes back to the default reply and model list. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_REPLY = textReply(["Hello ", "from the ", "Gemini stub."]);
const ROUTE = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;
const LIST_ROUTE = /^\/(v1beta|v1|v1alpha)\/models$/;

/**
 * Starts the stub on a free local port. With `apiKey`, requests carrying another key get
 * Gemini's invalid-key answer (as the real service would) without using up a programmed reply.
 */
export async function startGeminiStub(
  options: { apiKey?: string; models?: StubModel[]; /** Largest page the list answers (Google's is 1000). */ maxPageSize?: number } = {},
): Promise<GeminiStub> {
  const requests: RecordedGeminiRequest[] = [];
  let replies: GeminiStubReply[] = [DEFAULT_REPLY];
  const initialModels = options.models ?? DEFAULT_STUB_MODELS;
  let models = initialModels;
  let listRequests = 0;

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
    const route = ROUTE.exec(url.pathname);
    const rawBody = await readBody(request);
    let body: GeminiRequestBody = {};
    try {
      body = rawBody ? JSON.parse(rawBody) : {};
    } catch {
      return sendError(response, { type: "error", status: 400, statusName: "INVALID_ARGUMENT", message: "Invalid JSON payload received." });
    }
    const apiKey = headerValue(request.headers["x-goog-api-key"]);
    requests.push({
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
    if (route[3] === "generateContent") return sendJson(response, 200, wholeResponse(reply, model));
    await streamResponse(response, reply, model);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
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
  const delayMs = reply.type === "text" ? reply.tokenDelayMs : 0;
  for (const event of events) {
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
