// Route modules are tested from here because every file under app/routes becomes a route.
import { describe, expect, it } from "vitest";
import { action as tokensAction, loader as tokensLoader } from "~/routes/api.tokens";
import { action as tokenAction } from "~/routes/api.tokens.$tokenId";
import { bearerAuth, cookieAuth, jsonRequest, respond, TEST_ORIGIN } from "~test/route-helpers";
import { createTestUser } from "~test/users";
import { createApiToken, listApiTokens } from "./models/api-token.server";

describe("POST /api/tokens", () => {
  it("creates a token and answers 201 with the plaintext once", async () => {
    const userId = await createTestUser();
    const request = jsonRequest("/api/tokens", "POST", await cookieAuth(userId), { name: "laptop" });
    const response = await respond(() => tokensAction({ request, params: {}, context: {} }));

    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.token).toMatch(/^weft_/);
    expect(body.apiToken).toMatchObject({ name: "laptop", prefix: body.token.slice(0, 12) });
    expect(body.apiToken).not.toHaveProperty("tokenHash");
    expect((await listApiTokens(userId)).map((token) => token.id)).toEqual([body.apiToken.id]);
  });

  it("answers 400 naming the problem when the name is missing", async () => {
    const userId = await createTestUser();
    const request = jsonRequest("/api/tokens", "POST", await cookieAuth(userId), {});
    const response = await respond(() => tokensAction({ request, params: {}, context: {} }));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("name") } });
    expect(await listApiTokens(userId)).toHaveLength(0);
  });

  it("refuses to make a token for a caller authenticated by a token (403)", async () => {
    const userId = await createTestUser();
    const request = jsonRequest("/api/tokens", "POST", await bearerAuth(userId), { name: "child" });
    const response = await respond(() => tokensAction({ request, params: {}, context: {} }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "session_required" } });
    expect(await listApiTokens(userId)).toHaveLength(1);
  });

  it("makes a token that expires after expiresInDays, and refuses a lifetime out of range", async () => {
    const userId = await createTestUser();
    const before = Date.now();
    const request = jsonRequest("/api/tokens", "POST", await cookieAuth(userId), { name: "ci", expiresInDays: 30 });
    const body = await (await respond(() => tokensAction({ request, params: {}, context: {} }))).json();
    const expiresAt = Date.parse(body.apiToken.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);

    const tooLong = jsonRequest("/api/tokens", "POST", await cookieAuth(userId), { name: "ci", expiresInDays: 100_000 });
    expect((await respond(() => tokensAction({ request: tooLong, params: {}, context: {} }))).status).toBe(400);
  });

  it("answers 401 without a session", async () => {
    const request = jsonRequest("/api/tokens", "POST", { Origin: TEST_ORIGIN }, { name: "x" });
    expect((await respond(() => tokensAction({ request, params: {}, context: {} }))).status).toBe(401);
  });

  it("answers 405 to other methods", async () => {
    const auth = await cookieAuth(await createTestUser());
    const request = jsonRequest("/api/tokens", "PUT", auth, { name: "x" });
    const response = await respond(() => tokensAction({ request, params: {}, context: {} }));
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    const get = jsonRequest("/api/tokens", "GET", auth);
    expect((await respond(() => tokensLoader({ request: get, params: {}, context: {} }))).status).toBe(405);
  });
});

describe("DELETE /api/tokens/:id", () => {
  it("revokes the user's own token with 204 and an empty body", async () => {
    const userId = await createTestUser();
    const { record } = await createApiToken(userId, "old");
    const request = jsonRequest(`/api/tokens/${record.id}`, "DELETE", await cookieAuth(userId));
    const response = await respond(() => tokenAction({ request, params: { tokenId: record.id }, context: {} }));

    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await listApiTokens(userId)).toHaveLength(0);
  });

  it("answers 404 for another user's token and leaves it alone", async () => {
    const ownerId = await createTestUser();
    const stranger = await cookieAuth(await createTestUser());
    const { record } = await createApiToken(ownerId, "mine");
    const request = jsonRequest(`/api/tokens/${record.id}`, "DELETE", stranger);
    const response = await respond(() => tokenAction({ request, params: { tokenId: record.id }, context: {} }));

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    expect(await listApiTokens(ownerId)).toHaveLength(1);
  });

  it("answers 405 to other methods", async () => {
    const auth = await cookieAuth(await createTestUser());
    const request = jsonRequest("/api/tokens/abc", "POST", auth);
    const response = await respond(() => tokenAction({ request, params: { tokenId: "abc" }, context: {} }));
    expect(response.status).toBe(405);
  });
});
