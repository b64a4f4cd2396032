import { createCookie, redirect } from "@remix-run/node";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { createConcurrencyLimit, type ConcurrencyLimit } from "~workflow/concurrency-limit";
import { db } from "./db.server";
import { env } from "./env.server";
import { apiError } from "./http.server";
import { remember } from "~/.server/remember.server";

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// OWASP's Password Storage Cheat Sheet (read 2026-12-03) asks scrypt for N=2^17, r=8, p=1 at
// least, or an equivalent: N=2^16, r=8, p=2 is one it lists, at half the memory (64 MiB per
// hash) for the same work (~0.4 s on this 2-CPU machine). Hashes made with older parameters
// still verify, and are remade with these at the next successful login.
const SCRYPT = { N: 2 ** 16, r: 8, p: 2, keyLength: 64 } as const;
const SESSION_DAYS = 30;
const LAST_USED_PRECISION_MS = 60_000;
export const API_TOKEN_PREFIX = "weft_";

/**
 * Each hash holds one of libuv's four threads for its whole duration; without a bound, a dozen
 * parallel logins would queue every file read and DNS lookup behind them.
 */
export function hashLimit(): ConcurrencyLimit {
  return remember("hash-limit", () => createConcurrencyLimit(env().MAX_CONCURRENT_HASHES));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await hashLimit().run(() => scrypt(password, salt, SCRYPT.keyLength, scryptOptions()));
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

/** Parameters no stored hash may ask for: a tampered row must not make a login hash for minutes. */
const MAX_STORED_COST = { N: 2 ** 20, r: 16, p: 16 } as const;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !expected) return false;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every(Number.isInteger) || N > MAX_STORED_COST.N || R > MAX_STORED_COST.r || P > MAX_STORED_COST.p) {
    return false;
  }
  const expectedBytes = Buffer.from(expected, "base64");
  const options = { N, r: R, p: P, maxmem: 128 * N * R * 2 };
  const actual = await hashLimit().run(() => scrypt(password, Buffer.from(salt, "base64"), expectedBytes.length, options));
  return crypto.timingSafeEqual(actual, expectedBytes);
}

/** Whether a stored hash was made with weaker parameters than today's, so it should be remade. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split("$");
  return scheme !== "scrypt" || Number(n) < SCRYPT.N || Number(r) < SCRYPT.r || Number(p) < SCRYPT.p;
}

function scryptOptions(): crypto.ScryptOptions {
  return { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 128 * SCRYPT.N * SCRYPT.r * 2 };
}

/** Tokens (session, API, share) are random; only their SHA-256 is stored, so a leaked table grants nothing. */
export function hashToken(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function randomToken() {
  return crypto.randomBytes(32).toString("base64url");
}

let sessionCookie: ReturnType<typeof createCookie> | undefined;

function getSessionCookie() {
  sessionCookie ??= createCookie("weft_session", {
    httpOnly: true,
    sameSite: "lax",
    // Browsers accept Secure cookies on http://localhost, so this only bites plain-HTTP deployments.
    secure: env().NODE_ENV === "production",
    path: "/",
    maxAge: SESSION_DAYS * 24 * 60 * 60,
    secrets: [sessionSecret()],
  });
  return sessionCookie;
}

/** SESSION_SECRET, or one generated on first start and kept in the data directory. */
function sessionSecret() {
  const configured = env().SESSION_SECRET;
  if (configured) return configured;
  const file = path.resolve(env().WEFT_DATA_DIR, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomToken();
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}

/**
 * A key for one purpose (e.g. signing realtime tokens), derived from the session secret so that
 * it needs no configuration of its own and a key for one purpose is useless for another.
 */
export function deriveKey(purpose: string): Buffer {
  return crypto.createHmac("sha256", sessionSecret()).update(`weft:${purpose}`).digest();
}

/**
 * Starts a session for the user and returns the Set-Cookie header value. The browser's earlier
 * session (the cookie `request` carries, if any) ends, so a session fixed before a login is
 * worth nothing after it; and sessions that have expired anywhere are removed on the way.
 */
export async function createSession(userId: string, request?: Request): Promise<string> {
  const earlier = request ? await readSessionToken(request) : null;
  if (earlier) await db.session.deleteMany({ where: { tokenHash: hashToken(earlier) } });
  await deleteExpiredSessions();
  const token = randomToken();
  await db.session.create({
    data: {
      userId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000),
    },
  });
  return getSessionCookie().serialize(token);
}

/** Removes every session past its expiry (they authenticate nothing, but would pile up). */
export async function deleteExpiredSessions(now = new Date()): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}

/** Ends the request's session (if any) and returns the Set-Cookie header that clears it. */
export async function destroySession(request: Request): Promise<string> {
  const token = await readSessionToken(request);
  if (token) await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
  return getSessionCookie().serialize("", { maxAge: 0 });
}

async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await getSessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

type Authentication = { userId: string; via: "cookie" | "token" };

async function authenticate(request: Request): Promise<Authentication | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) return null;
    const token = await db.apiToken.findUnique({ where: { tokenHash: hashToken(match[1]) } });
    if (!token || (token.expiresAt !== null && token.expiresAt <= new Date())) return null;
    // "Last used" is for people telling tokens apart; minute precision spares a write per request.
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
      await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
    }
    return { userId: token.userId, via: "token" };
  }
  const token = await readSessionToken(request);
  if (!token) return null;
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!session || session.expiresAt < new Date()) return null;
  return { userId: session.userId, via: "cookie" };
}

export async function getUserId(request: Request): Promise<string | null> {
  return (await authenticate(request))?.userId ?? null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated writes must come from our own pages. Browsers send Origin on every
 * cross-site POST/PUT/DELETE, so a mismatch is a forged request; API tokens are not sent by
 * browsers automatically and need no such check.
 */
function isCrossSiteWrite(request: Request, auth: Authentication) {
  if (auth.via !== "cookie" || SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  return origin !== new URL(request.url).origin;
}

/** For pages: the signed-in user's id (session cookie), or a redirect to the login page. */
export async function requireUserId(request: Request): Promise<string> {
  const auth = await authenticate(request);
  // Pages are for browsers: an API token opens the JSON API only, so it cannot reach a page's
  // actions (the Settings page makes tokens).
  if (!auth || auth.via !== "cookie") {
    const url = new URL(request.url);
    const redirectTo = url.pathname + url.search;
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
  }
  if (isCrossSiteWrite(request, auth)) throw new Response("Cross-site request refused.", { status: 403 });
  return auth.userId;
}

/**
 * For the JSON API: the user's id (session cookie or API token), or a 401/403 JSON error.
 * `cookieOnly` refuses API tokens (403): what a token must not do, such as make more tokens, so
 * a leaked token cannot outlive its own revocation or expiry.
 */
export async function requireApiUserId(request: Request, options: { cookieOnly?: boolean } = {}): Promise<string> {
  const auth = await authenticate(request);
  if (!auth) {
    throw apiError(401, "unauthorized", "Sign in, or send an API token as `Authorization: Bearer <token>`.");
  }
  if (isCrossSiteWrite(request, auth)) {
    throw apiError(403, "cross_site_request", "This request came from another site and was refused.");
  }
  if (options.cookieOnly && auth.via !== "cookie") {
    throw apiError(403, "session_required", "API tokens cannot do this; sign in with a browser session (Settings page).");
  }
  return auth.userId;
}

// Backslashes (browsers read "/\evil" as "//evil") and control characters (a tab or newline is
// dropped by URL parsing, so "/\t/evil" becomes "//evil") are refused before parsing.
const UNSAFE_REDIRECT_CHARACTERS = /[\\\p{Cc}]/u;
const REDIRECT_BASE = new URL("http://weft.invalid");

/**
 * Only paths of this app, so a crafted link cannot bounce a fresh login to another site: the
 * value is resolved as a browser would, and must stay on the same origin.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/workflows") {
  if (typeof value !== "string" || !value.startsWith("/") || UNSAFE_REDIRECT_CHARACTERS.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE.origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
