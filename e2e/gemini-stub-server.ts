import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { invalidApiKey, startGeminiStub, stubModel, textReply, type StubUsage } from "~test/gemini-stub";

// The Gemini stand-in for the e2e suite (playwright.config.ts starts it beside the app): the
// stub from test/gemini-stub.ts behind a fixed port, so the app's GEMINI_BASE_URL can name it,
// plus a control endpoint the specs call to program the replies (the model list is E2E_STUB_MODELS):
//   POST /__control {"fail": "invalid-key" | null, "tokenDelayMs": 40, "reply": "…" | null}  → the settings now in force
//   GET  /__control                                                     → the settings and how many requests came

export const GEMINI_STUB_PORT = Number(process.env.E2E_GEMINI_PORT ?? 3219);
export const GEMINI_STUB_API_KEY = "e2e-gemini-key";

export const GEMINI_STUB_URL = `http://127.0.0.1:${GEMINI_STUB_PORT}`;

/**
 * What the stand-in's `models.list` answers: a list unlike the shipped fallback, so the specs can
 * tell the two apart. It holds the sample workflow's model, image models, video models (not for
 * Run LLM) and an embedding model (not for any node).
 */
export const E2E_STUB_MODELS = [
  stubModel("gemini-3.8-flash", { displayName: "Gemini 3.8 Flash" }),
  stubModel("gemini-3.6-flash", { displayName: "Gemini 3.6 Flash" }),
  stubModel("gemini-3.5-flash-lite", { displayName: "Gemini 3.5 Flash-Lite" }),
  // The shipped default image model, whose id has no "image" in it, and the one it replaces.
  stubModel("gemini-nano-banana-2.1", { displayName: "Nano Banana 2.1" }),
  stubModel("gemini-3.1-flash-image", { displayName: "Nano Banana 2" }),
  stubModel("veo-4.0-generate", { displayName: "Veo 4", methods: ["predictLongRunning"] }),
  // The shipped default video model, so the Teaser clip template runs as it comes.
  stubModel("veo-3.1-fast-generate-preview", { displayName: "Veo 3.1 Fast", methods: ["predictLongRunning"] }),
  stubModel("gemini-embedding-2", { displayName: "Gemini Embedding 2", methods: ["embedContent"] }),
];

/** A short reply, streamed a token at a time so the editor's text visibly grows. */
export const STUB_REPLY_TOKENS = [
  "Silence ",
  "the ",
  "world, ",
  "keep ",
  "the ",
  "music: ",
  "30 ",
  "hours ",
  "of ",
  "noise-free ",
  "sound ",
  "that ",
  "folds ",
  "away.",
];

export interface StubSettings {
  fail: "invalid-key" | null;
  tokenDelayMs: number;
  /** A reply in place of STUB_REPLY_TOKENS (e.g. a long one), streamed a word at a time. */
  reply: string | null;
  /** The usageMetadata each answer reports (what the run then costs). */
  usage: StubUsage;
}

const DEFAULT_SETTINGS: StubSettings = { fail: null, tokenDelayMs: 40, reply: null, usage: { promptTokenCount: 8, candidatesTokenCount: 4 } };

const replyTokens = (reply: string | null) => (reply === null ? STUB_REPLY_TOKENS : reply.split(/(?<= )/));

async function main() {
  const stub = await startGeminiStub({ apiKey: GEMINI_STUB_API_KEY, models: E2E_STUB_MODELS });
  let settings = DEFAULT_SETTINGS;
  const apply = () =>
    stub.program(settings.fail === "invalid-key" ? invalidApiKey() : textReply(replyTokens(settings.reply), { tokenDelayMs: settings.tokenDelayMs, usage: settings.usage }));
  apply();

  const control = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Partial<StubSettings>;
      settings = {
        fail: body.fail === "invalid-key" ? "invalid-key" : null,
        tokenDelayMs: typeof body.tokenDelayMs === "number" ? body.tokenDelayMs : DEFAULT_SETTINGS.tokenDelayMs,
        reply: typeof body.reply === "string" ? body.reply : null,
        usage: body.usage ?? DEFAULT_SETTINGS.usage,
      };
      apply();
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ settings, requests: stub.requests.length }));
  };

  // Everything else goes to the stub as is, streamed both ways (the replies are Server-Sent Events).
  const forward = (request: IncomingMessage, response: ServerResponse) => {
    const upstream = httpRequest(`${stub.baseUrl}${request.url ?? "/"}`, { method: request.method, headers: request.headers }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    upstream.on("error", () => response.destroy());
    response.on("close", () => upstream.destroy());
    request.pipe(upstream);
  };

  const server = createServer((request, response) => {
    if (new URL(request.url ?? "/", "http://stub").pathname === "/__control") {
      control(request, response).catch((error: unknown) => {
        response.writeHead(400, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: String(error) }));
      });
    } else {
      forward(request, response);
    }
  });
  server.listen(GEMINI_STUB_PORT, "127.0.0.1");

  const stop = () => {
    server.close();
    void stub.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// The specs import the settings above; only `tsx e2e/gemini-stub-server.ts` starts the server.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
