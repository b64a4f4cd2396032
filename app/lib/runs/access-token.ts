/** Renew this long before a token expires, leaving room for a slow request. */
const RENEW_MARGIN_MS = 2 * 60_000;
/** When a token's lifetime cannot be read, renew as if it lived the shortest time either mode gives it (15 min). */
const UNKNOWN_LIFETIME_DELAY_MS = 13 * 60_000;
const MIN_DELAY_MS = 5_000;

/**
 * How long after receiving a realtime access token (a JWT in both modes) it should be replaced
 * by a fresh one. Tokens arrive just issued, so the wait is their lifetime (`exp - iat`, both
 * the server's clock) minus a margin: a browser whose clock is off renews on time all the same.
 * Without `iat`, the expiry is compared with this browser's clock. The token is only read,
 * never trusted: the server checks it on every request.
 */
export function tokenRenewalDelayMs(token: string, now = Date.now()): number {
  const claims = tokenTimes(token);
  if (claims.expiresAt === null) return UNKNOWN_LIFETIME_DELAY_MS;
  const remaining = claims.issuedAt === null ? claims.expiresAt - now : claims.expiresAt - claims.issuedAt;
  return Math.max(MIN_DELAY_MS, remaining - RENEW_MARGIN_MS);
}

/** The `iat` and `exp` claims in milliseconds, each null when the token is not a JWT that carries it. */
export function tokenTimes(token: string): { issuedAt: number | null; expiresAt: number | null } {
  const claims = readClaims(token);
  return { issuedAt: secondsClaim(claims, "iat"), expiresAt: secondsClaim(claims, "exp") };
}

function readClaims(token: string): Record<string, unknown> | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(payload));
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function secondsClaim(claims: Record<string, unknown> | null, name: "iat" | "exp"): number | null {
  const value = claims?.[name];
  return typeof value === "number" && Number.isFinite(value) ? value * 1000 : null;
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
