import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_TTL_SECONDS, createAccessToken, verifyAccessToken } from "./access-token.server";

function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

describe("embedded access tokens", () => {
  it("are JWTs that grant reading one run for 15 minutes", () => {
    const now = Date.UTC(2026, 0, 1, 10, 0, 0);
    const token = createAccessToken("run_abc", now);
    expect(JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8"))).toEqual({ alg: "HS256", typ: "JWT" });
    expect(claimsOf(token)).toEqual({
      sub: "weft-embedded",
      scopes: ["read:runs:run_abc"],
      iat: now / 1000,
      exp: now / 1000 + ACCESS_TOKEN_TTL_SECONDS,
    });

    expect(verifyAccessToken(token, "run_abc", now)).toBe(true);
    expect(verifyAccessToken(token, "run_other", now)).toBe(false);
    expect(verifyAccessToken(token, "run_abc", now + ACCESS_TOKEN_TTL_SECONDS * 1000 - 1000)).toBe(true);
    expect(verifyAccessToken(token, "run_abc", now + ACCESS_TOKEN_TTL_SECONDS * 1000)).toBe(false);
  });

  it("refuses tokens that were altered or not signed here", () => {
    const now = Date.now();
    const [header, , signature] = createAccessToken("run_abc", now).split(".");
    const widened = Buffer.from(JSON.stringify({ sub: "weft-embedded", scopes: ["read:runs:run_other"], exp: now / 1000 + 60 })).toString(
      "base64url",
    );
    expect(verifyAccessToken(`${header}.${widened}.${signature}`, "run_other", now)).toBe(false);

    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    expect(verifyAccessToken(`${none}.${widened}.`, "run_other", now)).toBe(false);
    expect(verifyAccessToken("not-a-token", "run_abc", now)).toBe(false);
    expect(verifyAccessToken("", "run_abc", now)).toBe(false);
  });
});
