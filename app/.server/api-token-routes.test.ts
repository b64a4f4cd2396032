// Route modules are tested from here because every file under app/routes becomes a route.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { action as tokensAction, loader as tokensLoader } from "~/routes/api.tokens";
import { action as tokenAction } from "~/routes/api.tokens.$tokenId";
import { createSession } from "./auth.server";
import { db } from "./db.server";
import { createApiToken, listApiTokens } from "./models/api-token.server";

async function signedInCookie() {
  const user = await db.user.create({ data: { email: `routes-${randomUUID()}@example.com`, passwordHash: "unused" } });
  return { userId: user.id, cookie: (await createSession(user.id)).split(";")[0] };
}

function jsonRequest(url: string, method: string, cookie: string, body?: unknown) {
  return new Request(url, {
    method,
    headers: { Cookie: cookie, Origin: "http://localhost", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Remix hands thrown Responses to the client as they are; tests read either kind the same way. */
async function respond(run: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("POST /api/tokens", () => {
  it("creates a token and answers 201 with the plaintext once", async () => {
    const { userId, cookie } = await signedInCookie();
    const request = jsonRequest("http://localhost/api/tokens", "POST", cookie, { name: "laptop" });
    const response = await respond(() => tokensAction({ request, params: {}, context: {} }));

    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.token).toMatch(/^weft_/);
    expect(body.apiToken).toMatchObject({ name: "laptop", prefix: body.token.slice(0, 12) });
    expect(body.apiToken).not.toHaveProperty("tokenHash");
    expect((await listApiTokens(userId)).map((token) => token.id)).toEqual([body.apiToken.id]);
  });

  it("answers 400 naming the problem when the name is missing", async () => {
    const { userId, cookie } = await signedInCookie();
    const request = jsonRequest("http://localhost/api/tokens", "POST", cookie, {});
    const response = await respond(() => tokensAction({ request, params: {}, context: {} }));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("name") } });
    expect(await listApiTokens(userId)).toHaveLength(0);
  });

  it("answers 401 without a session", async () => {
    const request = jsonRequest("http://localhost/api/tokens", "POST", "", { name: "x" });
    expect((await respond(() => tokensAction({ request, params: {}, context: {} }))).status).toBe(401);
  });

  it("answers 405 to other methods", async () => {
    const { cookie } = await signedInCookie();
    const request = jsonRequest("http://localhost/api/tokens", "PUT", cookie, { name: "x" });
    const response = await respond(() => tokensAction({ request, params: {}, context: {} }));
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    const get = new Request("http://localhost/api/tokens", { headers: { Cookie: cookie } });
    expect((await respond(() => tokensLoader({ request: get, params: {}, context: {} }))).status).toBe(405);
  });
});

describe("DELETE /api/tokens/:id", () => {
  it("revokes the user's own token with 204 and an empty body", async () => {
    const { userId, cookie } = await signedInCookie();
    const { record } = await createApiToken(userId, "old");
    const request = jsonRequest(`http://localhost/api/tokens/${record.id}`, "DELETE", cookie);
    const response = await respond(() => tokenAction({ request, params: { tokenId: record.id }, context: {} }));

    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await listApiTokens(userId)).toHaveLength(0);
  });

  it("answers 404 for another user's token and leaves it alone", async () => {
    const owner = await signedInCookie();
    const stranger = await signedInCookie();
    const { record } = await createApiToken(owner.userId, "mine");
    const request = jsonRequest(`http://localhost/api/tokens/${record.id}`, "DELETE", stranger.cookie);
    const response = await respond(() => tokenAction({ request, params: { tokenId: record.id }, context: {} }));

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    expect(await listApiTokens(owner.userId)).toHaveLength(1);
  });

  it("answers 405 to other methods", async () => {
    const { cookie } = await signedInCookie();
    const request = jsonRequest("http://localhost/api/tokens/abc", "POST", cookie);
    const response = await respond(() => tokenAction({ request, params: { tokenId: "abc" }, context: {} }));
    expect(response.status).toBe(405);
  });
});
