import crypto from "node:crypto";
import { z } from "zod";
import { deriveKey } from "~/.server/auth.server";

// The embedded engine's counterpart of Trigger.dev's public access tokens: a JWT (HS256) that
// lets whoever holds it read one run's realtime updates for a short while, and nothing else.
// It carries the same claims Trigger.dev's tokens do (`scopes: ["read:runs:<id>"]`), so the
// browser code treats both modes alike.

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const SUBJECT = "weft-embedded";
const HEADER = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

const ClaimsSchema = z.object({
  sub: z.literal(SUBJECT),
  scopes: z.array(z.string()),
  exp: z.number(),
  /** Set on tokens made for a share link's visitors: the link it was made under (app/.server/realtime/authorize.server.ts). */
  share: z.string().optional(),
});

let signingKey: Buffer | undefined;

function key(): Buffer {
  signingKey ??= deriveKey("embedded-realtime-token");
  return signingKey;
}

/** A token that may read `engineRunId`'s realtime updates until it expires. */
export function createAccessToken(engineRunId: string, now = Date.now(), binding: { share?: string } = {}): string {
  const issuedAt = Math.floor(now / 1000);
  const claims = {
    sub: SUBJECT,
    scopes: [readScope(engineRunId)],
    iat: issuedAt,
    exp: issuedAt + ACCESS_TOKEN_TTL_SECONDS,
    ...(binding.share === undefined ? {} : { share: binding.share }),
  };
  const unsigned = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${sign(unsigned)}`;
}

/** Whether `token` was made here, has not expired, and grants reading `engineRunId`. */
export function verifyAccessToken(token: string, engineRunId: string, now = Date.now()): boolean {
  return verifiedClaims(token, engineRunId, now) !== null;
}

/** The share link a verified token was made under, if any (null for the owner's tokens). */
export function accessTokenShare(token: string, engineRunId: string, now = Date.now()): string | null {
  return verifiedClaims(token, engineRunId, now)?.share ?? null;
}

function verifiedClaims(token: string, engineRunId: string, now: number): z.infer<typeof ClaimsSchema> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts;
  // The header is fixed, so no other algorithm (or "none") can be slipped in.
  if (header !== HEADER) return null;
  const expected = Buffer.from(sign(`${header}.${payload}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  let claims: z.infer<typeof ClaimsSchema>;
  try {
    claims = ClaimsSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return null;
  }
  return claims.exp > Math.floor(now / 1000) && claims.scopes.includes(readScope(engineRunId)) ? claims : null;
}

function readScope(engineRunId: string): string {
  return `read:runs:${engineRunId}`;
}

function sign(data: string): string {
  return crypto.createHmac("sha256", key()).update(data).digest("base64url");
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
