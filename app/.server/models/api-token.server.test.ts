import { describe, expect, it } from "vitest";
import { hashToken } from "~/.server/auth.server";
import { db } from "~/.server/db.server";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-token.server";
import { createTestUser } from "~test/users";

describe("API tokens", () => {
  it("creates a weft_ token and stores only its hash and a display prefix", async () => {
    const userId = await createTestUser("tokens");
    const { token, record } = await createApiToken(userId, "CI");

    expect(token).toMatch(/^weft_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: "CI", prefix: token.slice(0, 12), lastUsedAt: null });
    expect(record).not.toHaveProperty("tokenHash");

    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("lists a user's own tokens, newest first, without hashes", async () => {
    const userId = await createTestUser("tokens");
    const otherId = await createTestUser("tokens");
    const first = await createApiToken(userId, "first");
    const second = await createApiToken(userId, "second");
    await createApiToken(otherId, "not mine");

    const tokens = await listApiTokens(userId);
    expect(tokens.map((token) => token.id)).toEqual([second.record.id, first.record.id]);
    expect(Object.keys(tokens[0]).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "prefix"]);
  });

  it("revokes the user's own token and refuses another user's", async () => {
    const ownerId = await createTestUser("tokens");
    const strangerId = await createTestUser("tokens");
    const { record } = await createApiToken(ownerId, "to revoke");

    expect(await revokeApiToken(strangerId, record.id)).toBe(false);
    expect(await listApiTokens(ownerId)).toHaveLength(1);

    expect(await revokeApiToken(ownerId, record.id)).toBe(true);
    expect(await listApiTokens(ownerId)).toHaveLength(0);
    expect(await revokeApiToken(ownerId, record.id)).toBe(false);
  });
});
