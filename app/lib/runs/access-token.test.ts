import { describe, expect, it } from "vitest";
import { tokenRenewalDelayMs, tokenTimes } from "./access-token";

function jwt(claims: Record<string, unknown>) {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.signature`;
}

describe("tokenRenewalDelayMs", () => {
  const now = Date.parse("2026-11-27T10:00:00Z");
  const issued = now / 1000;

  it("renews two minutes before a fresh token expires", () => {
    const token = jwt({ iat: issued, exp: issued + 15 * 60, scopes: ["read:runs:run_1"] });
    expect(tokenTimes(token)).toEqual({ issuedAt: now, expiresAt: now + 15 * 60_000 });
    expect(tokenRenewalDelayMs(token, now)).toBe(13 * 60_000);
  });

  it("goes by the server's clock, not a browser clock that is off", () => {
    const token = jwt({ iat: issued, exp: issued + 15 * 60 });
    expect(tokenRenewalDelayMs(token, now + 20 * 60_000)).toBe(13 * 60_000);
    expect(tokenRenewalDelayMs(token, now - 60 * 60_000)).toBe(13 * 60_000);
  });

  it("compares the expiry with this clock when the token does not say when it was issued", () => {
    expect(tokenRenewalDelayMs(jwt({ exp: issued + 10 * 60 }), now)).toBe(8 * 60_000);
    // About to expire, or already expired: soon, but not in a tight loop.
    expect(tokenRenewalDelayMs(jwt({ exp: issued + 30 }), now)).toBe(5_000);
    expect(tokenRenewalDelayMs(jwt({ exp: issued - 60 }), now)).toBe(5_000);
  });

  it("assumes the shortest lifetime when the expiry cannot be read", () => {
    expect(tokenTimes("not-a-jwt")).toEqual({ issuedAt: null, expiresAt: null });
    expect(tokenTimes(jwt({ sub: "x" })).expiresAt).toBeNull();
    expect(tokenTimes("a.%%%.c").expiresAt).toBeNull();
    expect(tokenRenewalDelayMs("not-a-jwt", now)).toBe(13 * 60_000);
  });
});
