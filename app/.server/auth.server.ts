import { createCookie, redirect } from "@remix-run/node";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { db } from "./db.server";
import { env } from "./env.server";
import { apiError } from "./http.server";

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// scrypt with N=2^15 costs ~100 ms and 32 MiB per hash: slow for guessing, fine for a login.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 } as const;
const SESSION_DAYS = 30;
const LAST_USED_PRECISION_MS = 60_000;
export const API_TOKEN_PREFIX = "weft_";

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keyLength, scryptOptions());
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !expected) return false;
  const expectedBytes = Buffer.from(expected, "base64");
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2 };
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expectedBytes.length, options);
  return crypto.timingSafeEqual(actual, expectedBytes);
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

/** Starts a session for the user and returns the Set-Cookie header value. */
export async function createSession(userId: string): Promise<string> {
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
    if (!token) return null;
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

/** For pages: the signed-in user's id, or a redirect to the login page. */
export async function requireUserId(request: Request): Promise<string> {
  const auth = await authenticate(request);
  if (!auth) {
    const url = new URL(request.url);
    const redirectTo = url.pathname + url.search;
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
  }
  if (isCrossSiteWrite(request, auth)) throw new Response("Cross-site request refused.", { status: 403 });
  return auth.userId;
}

/** For the JSON API: the user's id (session cookie or API token), or a 401/403 JSON error. */
export async function requireApiUserId(request: Request): Promise<string> {
  const auth = await authenticate(request);
  if (!auth) {
    throw apiError(401, "unauthorized", "Sign in, or send an API token as `Authorization: Bearer <token>`.");
  }
  if (isCrossSiteWrite(request, auth)) {
    throw apiError(403, "cross_site_request", "This request came from another site and was refused.");
  }
  return auth.userId;
}

/** Only same-site paths, so a crafted link cannot bounce a fresh login to another site. */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/workflows") {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return fallback;
  return value;
}
