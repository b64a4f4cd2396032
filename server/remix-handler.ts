import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixNodeHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { CSP_NONCE_LOCAL, FORM_BODY_LOCAL } from "./http-guards";

/**
 * What `@remix-run/express`'s handler does, with two differences: a body `limitFormBodies`
 * has already read is handed to Remix from memory (the request stream is spent by then), and
 * the load context carries what the app needs from the connection: the client's address (as
 * Express resolves it, honouring `trust proxy`) and the response's CSP nonce.
 */
export function remixHandler(build: () => Promise<ServerBuild>, mode: string): RequestHandler {
  const handle = createRemixNodeHandler(build, mode);
  return async (req, res, next) => {
    try {
      const nonce: unknown = res.locals[CSP_NONCE_LOCAL];
      const context = {
        clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
        cspNonce: typeof nonce === "string" ? nonce : undefined,
      };
      await sendResponse(res, await handle(toFetchRequest(req, res), context));
    } catch (error) {
      next(error);
    }
  };
}

function toFetchRequest(req: ExpressRequest, res: ExpressResponse): Request {
  // req.hostname honours `trust proxy` but drops the port, which X-Forwarded-Host or Host carry.
  const port = (req.get("x-forwarded-host") ?? req.get("host") ?? "").match(/:(\d+)$/)?.[1];
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.set(key, value);
  }
  // Aborts loaders and actions when the client goes away before the answer is complete.
  const controller = new AbortController();
  let finished = false;
  res.on("finish", () => (finished = true));
  res.on("close", () => {
    if (!finished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const buffered: unknown = res.locals[FORM_BODY_LOCAL];
    if (buffered instanceof Buffer) {
      init.body = buffered.byteLength > 0 ? buffered : null;
    } else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  return new Request(url, init);
}

async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // A header the app sets replaces the guards' default of the same name (a share page's
  // Referrer-Policy: no-referrer over same-origin); repeated ones (Set-Cookie) are all kept.
  const seen = new Set<string>();
  for (const [key, value] of response.headers.entries()) {
    if (seen.has(key)) res.append(key, value);
    else res.setHeader(key, value);
    seen.add(key);
  }
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
