import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createSession,
  destroySession,
  hashLimit,
  hashPassword,
  needsRehash,
  requireApiUserId,
  requireUserId,
  safeRedirectPath,
  verifyPassword,
} from "./auth.server";
import { db } from "./db.server";
import { createApiToken, revokeApiToken } from "./models/api-token.server";
import { createTestUser } from "~test/users";

/** The Cookie request header a browser would send back for a Set-Cookie value. */
function cookieHeader(setCookie: string) {
  return setCookie.split(";")[0];
}

function request(method: string, headers: Record<string, string> = {}) {
  return new Request("http://localhost/x", { method, headers });
}

async function thrownBy(promise: Promise<unknown>): Promise<Response> {
  const thrown = await promise.then(
    () => {
      throw new Error("expected a thrown Response");
    },
    (error: unknown) => error,
  );
  if (!(thrown instanceof Response)) throw thrown;
  return thrown;
}

describe("passwords", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("s3cret password");
    expect(stored).toMatch(/^scrypt\$/);
    expect(await verifyPassword("s3cret password", stored)).toBe(true);
    expect(await verifyPassword("s3cret passworD", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("rejects a stored value that is not a scrypt hash", async () => {
    expect(await verifyPassword("anything", "plaintext")).toBe(false);
  });
});

describe("requireApiUserId with an API token", () => {
  it("accepts a real token and records when it was used", async () => {
    const userId = await createTestUser("auth");
    const { token, record } = await createApiToken(userId, "test");

    expect(await requireApiUserId(request("GET", { Authorization: `Bearer ${token}` }))).toBe(userId);
    const used = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(used.lastUsedAt).toBeInstanceOf(Date);
  });

  it("needs no Origin check, since browsers never send the token by themselves", async () => {
    const userId = await createTestUser("auth");
    const { token } = await createApiToken(userId, "test");
    const headers = { Authorization: `Bearer ${token}`, Origin: "https://evil.example" };
    expect(await requireApiUserId(request("POST", headers))).toBe(userId);
  });

  it("answers 401 JSON for a bogus token", async () => {
    const response = await thrownBy(requireApiUserId(request("GET", { Authorization: "Bearer weft_bogus" })));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("answers 401 for a revoked token", async () => {
    const userId = await createTestUser("auth");
    const { token, record } = await createApiToken(userId, "test");
    await revokeApiToken(userId, record.id);
    const response = await thrownBy(requireApiUserId(request("GET", { Authorization: `Bearer ${token}` })));
    expect(response.status).toBe(401);
  });

  it("answers 401 without any credentials", async () => {
    expect((await thrownBy(requireApiUserId(request("GET")))).status).toBe(401);
  });
});

describe("session cookies", () => {
  it("authenticate API requests", async () => {
    const userId = await createTestUser("auth");
    const cookie = cookieHeader(await createSession(userId));
    expect(await requireApiUserId(request("GET", { Cookie: cookie }))).toBe(userId);
  });

  it("are set httpOnly and SameSite=Lax", async () => {
    const userId = await createTestUser("auth");
    const setCookie = await createSession(userId);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it("refuse a cookie-authenticated write from a foreign Origin with 403", async () => {
    const userId = await createTestUser("auth");
    const cookie = cookieHeader(await createSession(userId));
    const response = await thrownBy(
      requireApiUserId(request("POST", { Cookie: cookie, Origin: "https://evil.example" })),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "cross_site_request" } });

    const page = await thrownBy(requireUserId(request("DELETE", { Cookie: cookie, Origin: "https://evil.example" })));
    expect(page.status).toBe(403);
  });

  it("allow a cookie-authenticated write from the same origin", async () => {
    const userId = await createTestUser("auth");
    const cookie = cookieHeader(await createSession(userId));
    expect(await requireApiUserId(request("POST", { Cookie: cookie, Origin: "http://localhost" }))).toBe(userId);
  });

  it("stop working once the session is destroyed", async () => {
    const userId = await createTestUser("auth");
    const cookie = cookieHeader(await createSession(userId));
    const cleared = await destroySession(request("POST", { Cookie: cookie }));
    expect(cleared).toMatch(/Max-Age=0/i);
    expect((await thrownBy(requireApiUserId(request("GET", { Cookie: cookie })))).status).toBe(401);
  });

  it("send signed-out page visitors to the login page, remembering where they were going", async () => {
    const response = await thrownBy(requireUserId(new Request("http://localhost/workflows/abc?tab=runs")));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: "/workflows/abc?tab=runs" })}`);
  });
});

describe("safeRedirectPath", () => {
  it("keeps the app's own paths, with their query and fragment", () => {
    expect(safeRedirectPath("/workflows/abc?tab=runs#x")).toBe("/workflows/abc?tab=runs#x");
    expect(safeRedirectPath("/runs/../settings")).toBe("/settings");
  });

  it("refuses anything a browser would resolve to another site", () => {
    for (const hostile of [
      "//evil.example/x",
      "/\\evil.example/x",
      "/\t/evil.example/x",
      "/\n/evil.example/x",
      "/%09/evil.example",
      "https://evil.example/x",
      "evil.example",
      "",
    ]) {
      const result = safeRedirectPath(hostile);
      // What a browser makes of the answer, from a page of the app.
      expect(new URL(result, "http://localhost:3000/login").origin, hostile).toBe("http://localhost:3000");
    }
    expect(safeRedirectPath("/\\evil.example/x")).toBe("/workflows");
    expect(safeRedirectPath("/\t/evil.example/x")).toBe("/workflows");
  });
});

describe("password hashing", { timeout: 60_000 }, () => {
  it("uses OWASP's scrypt cost (N=2^16, r=8, p=2, an equivalent of N=2^17, p=1)", async () => {
    const [, n, r, p] = (await hashPassword("pw")).split("$");
    expect(Number(n) * Number(p)).toBeGreaterThanOrEqual(2 ** 17);
    expect(Number(r)).toBe(8);
  });

  it("runs at most MAX_CONCURRENT_HASHES hashes at once, however many logins arrive", async () => {
    const stored = await hashPassword("right");
    await Promise.all(Array.from({ length: 4 }, (_, index) => verifyPassword(`wrong ${index}`, stored)));
    expect(hashLimit().peak).toBeLessThanOrEqual(2);
    expect(hashLimit().peak).toBeGreaterThan(0);
  });

  it("refuses a stored hash whose parameters would make one login hash for minutes", async () => {
    const hostile = `scrypt$${2 ** 24}$8$1$${Buffer.alloc(16).toString("base64")}$${Buffer.alloc(64).toString("base64")}`;
    expect(await verifyPassword("x", hostile)).toBe(false);
  });

  it("says which stored hashes are weaker than today's", async () => {
    expect(needsRehash(`scrypt$${2 ** 15}$8$1$c2FsdA==$aGFzaA==`)).toBe(true);
    expect(needsRehash(await hashPassword("pw"))).toBe(false);
  });
});

describe("sessions and tokens", () => {
  it("a new session ends the one the browser had before (no session fixation)", async () => {
    const userId = await createTestUser("auth");
    const earlier = cookieHeader(await createSession(userId));
    const later = cookieHeader(await createSession(userId, request("POST", { Cookie: earlier })));
    expect((await thrownBy(requireApiUserId(request("GET", { Cookie: earlier })))).status).toBe(401);
    expect(await requireApiUserId(request("GET", { Cookie: later }))).toBe(userId);
  });

  it("expired sessions are deleted when anyone signs in", async () => {
    const userId = await createTestUser("auth");
    const stale = await db.session.create({
      data: { userId: userId, tokenHash: `stale-${randomUUID()}`, expiresAt: new Date(Date.now() - 1000) },
    });
    await createSession(await createTestUser("auth"));
    expect(await db.session.findUnique({ where: { id: stale.id } })).toBeNull();
  });

  it("an API token past its expiry authenticates nothing", async () => {
    const userId = await createTestUser("auth");
    const { token } = await createApiToken(userId, "old", new Date(Date.now() - 1000));
    expect((await thrownBy(requireApiUserId(request("GET", { Authorization: `Bearer ${token}` })))).status).toBe(401);
    const { token: fresh } = await createApiToken(userId, "new", new Date(Date.now() + 60_000));
    expect(await requireApiUserId(request("GET", { Authorization: `Bearer ${fresh}` }))).toBe(userId);
  });

  it("an API token opens no page, so it cannot reach the Settings page's actions", async () => {
    const userId = await createTestUser("auth");
    const { token } = await createApiToken(userId, "script");
    const response = await thrownBy(requireUserId(request("POST", { Authorization: `Bearer ${token}` })));
    expect(response.status).toBe(302);
  });

  it("cookieOnly refuses API tokens with 403", async () => {
    const userId = await createTestUser("auth");
    const { token } = await createApiToken(userId, "script");
    const response = await thrownBy(requireApiUserId(request("POST", { Authorization: `Bearer ${token}` }), { cookieOnly: true }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "session_required" } });
  });
});
