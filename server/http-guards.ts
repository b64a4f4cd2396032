import type { NextFunction, Request, RequestHandler, Response } from "express";
import crypto from "node:crypto";

// What every request passes before Remix sees it (ADR 012): legacy `_data` requests are refused,
// writes from other sites are refused, form bodies are read within a small limit, and every
// answer carries the security headers. Kept framework-thin (plain Express handlers) so each one
// is tested on its own (server/http-guards.test.ts) and the probe checks them on the real build.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A refusal in the shape the client expects: the JSON API's error body under /api/, plain text elsewhere. */
function refuse(req: Request, res: Response, status: number, code: string, message: string) {
  if (req.path.startsWith("/api/")) {
    res.status(status).json({ error: { code, message } });
  } else {
    res.status(status).type("text/plain").send(message);
  }
}

/**
 * `?_data=routes/...` is how Remix before single fetch asked a route for its loader or action
 * data. Remix still answers it, and skips its own Origin check for it; nothing here needs it
 * (single fetch is on), so it is refused for every method.
 */
export const refuseLegacyDataRequests: RequestHandler = (req, res, next) => {
  if (new URL(req.originalUrl, "http://x").searchParams.has("_data")) {
    return refuse(req, res, 400, "legacy_data_request", "Remix `_data` requests are not served; load the page instead.");
  }
  next();
};

/**
 * No path of the app contains control characters (a NUL would reach PostgreSQL, which refuses
 * it in text), and a path that does not decode names nothing: 400 before any route runs.
 */
export const refuseUnreadablePaths: RequestHandler = (req, res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.path);
  } catch {
    return refuse(req, res, 400, "invalid_path", "The address is not valid percent-encoded UTF-8.");
  }
  if (/\p{Cc}/u.test(decoded)) return refuse(req, res, 400, "invalid_path", "The address contains control characters; no Weft address does.");
  next();
};

/**
 * The host a browser would name in `Origin` for this app: the first `X-Forwarded-Host`, else
 * `Host`, as Remix's own check compares, so the two can never disagree.
 */
function expectedHost(req: Request): string | undefined {
  const forwarded = req.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || req.get("host") || undefined;
}

/**
 * Every write (any method but GET, HEAD, OPTIONS) must come from the app's own pages. Browsers
 * send `Origin` with every cross-origin write and `Sec-Fetch-Site` with every request, so a
 * foreign or opaque ("null") Origin, or a Sec-Fetch-Site other than same-origin or none (typed
 * by the person), is a forged request: 403. Requests with neither header are not from a browser
 * (scripts, curl) and carry no ambient credentials a forger could borrow, nor do requests with
 * an `Authorization` header, which a page on another site cannot add without a CORS preflight
 * this app never grants.
 */
export const requireSameOriginWrites: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || req.get("authorization")) return next();
  const origin = req.get("origin");
  if (origin !== undefined) {
    if (originHost(origin) !== expectedHost(req)) {
      return refuse(req, res, 403, "cross_site_request", "This request came from another site and was refused.");
    }
    return next();
  }
  const site = req.get("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return refuse(req, res, 403, "cross_site_request", "This request came from another site and was refused.");
  }
  next();
};

function originHost(origin: string): string | null {
  if (origin === "null") return null;
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Where a buffered form body waits for the Remix handler (server/remix-handler.ts). */
export const FORM_BODY_LOCAL = "weftFormBody";

export interface FormBodyLimits {
  /** The limit for this request's body, or null when the app reads it itself (the JSON API, uploads). */
  limitFor(req: Request): number | null;
}

/**
 * Reads the body of every write the app does not stream itself (pages' form posts, including
 * single fetch's `.data` requests) into memory, up to the request's limit, counting as the bytes
 * arrive, so a chunked body is cut off as early as a declared one: 413, and the connection is
 * closed rather than drained (see `closeWhenBodyUnread`).
 */
export function limitFormBodies(limits: FormBodyLimits): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const maxBytes = limits.limitFor(req);
    if (maxBytes === null) return next();
    const tooLarge = () =>
      refuse(req, res, 413, "payload_too_large", `The request body is larger than ${maxBytes} bytes; this form takes less.`);
    const declared = Number(req.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();

    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received > maxBytes) {
        settled = true;
        req.off("data", onData);
        req.pause();
        tooLarge();
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      if (settled) return;
      settled = true;
      res.locals[FORM_BODY_LOCAL] = Buffer.concat(chunks);
      next();
    });
    req.once("error", (error) => {
      if (settled) return;
      settled = true;
      next(error);
    });
  };
}

/**
 * An answer sent before the request's body has fully arrived (an early 413, a 401 to an upload)
 * ends the connection: kept alive, Node would first read and discard the rest of the body, and
 * the client's next request on that socket would wait behind it.
 */
export const closeWhenBodyUnread: RequestHandler = (req, res, next) => {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (!req.complete && !this.headersSent) this.setHeader("Connection", "close");
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
};

export interface SecurityHeaderOptions {
  production: boolean;
  /** Origins the pages may connect to besides their own (Trigger.dev's realtime API in that mode). */
  connectOrigins: readonly string[];
}

/** Where the nonce of this response's inline scripts waits for the Remix handler. */
export const CSP_NONCE_LOCAL = "weftCspNonce";

/** Paths that serve user files: never run as a page, whatever their bytes are. */
const FILE_PATH = /^\/(files|share\/[^/]+\/files)\//;

/**
 * The headers every answer carries. Pages get a Content-Security-Policy whose scripts must carry
 * this response's nonce (Remix's inline scripts do, app/entry.server.tsx); in development Vite
 * injects scripts and opens a socket of its own, so pages get only the framing and base rules. User files get
 * `Content-Security-Policy: sandbox`: an uploaded file opened directly can run nothing with
 * the app's origin.
 */
export function securityHeaders(options: SecurityHeaderOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // Browsers ignore it over plain HTTP, so it is safe for `npm start` on localhost too.
    if (options.production) res.setHeader("Strict-Transport-Security", "max-age=31536000");

    if (FILE_PATH.test(req.path)) {
      res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; frame-ancestors 'none'");
      return next();
    }
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals[CSP_NONCE_LOCAL] = nonce;
    res.setHeader("Content-Security-Policy", pagePolicy(options, nonce));
    next();
  };
}

function pagePolicy(options: SecurityHeaderOptions, nonce: string): string {
  const always = ["base-uri 'none'", "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'"];
  // Vite's client talks to its HMR server on a port of its own and injects scripts.
  if (!options.production) return always.join("; ");
  return [
    ...always,
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // React Flow positions nodes with style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src ${["'self'", ...options.connectOrigins].join(" ")}`,
  ].join("; ");
}
