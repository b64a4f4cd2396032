import { describe, expect, it } from "vitest";
import {
  createSession,
  destroySession,
  hashPassword,
  requireApiUserId,
  requireUserId,
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
