import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashToken } from "~/.server/auth.server";
import { db } from "~/.server/db.server";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-token.server";

async function createTestUser() {
  return db.user.create({ data: { email: `tokens-${randomUUID()}@example.com`, passwordHash: "unused" } });
}

describe("API tokens", () => {
  it("creates a weft_ token and stores only its hash and a display prefix", async () => {
    const user = await createTestUser();
    const { token, record } = await createApiToken(user.id, "CI");

    expect(token).toMatch(/^weft_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: "CI", prefix: token.slice(0, 12), lastUsedAt: null });
    expect(record).not.toHaveProperty("tokenHash");

    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("lists a user's own tokens, newest first, without hashes", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    const first = await createApiToken(user.id, "first");
    const second = await createApiToken(user.id, "second");
    await createApiToken(other.id, "not mine");

    const tokens = await listApiTokens(user.id);
    expect(tokens.map((token) => token.id)).toEqual([second.record.id, first.record.id]);
    expect(Object.keys(tokens[0]).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "prefix"]);
  });

  it("revokes the user's own token and refuses another user's", async () => {
    const owner = await createTestUser();
    const stranger = await createTestUser();
    const { record } = await createApiToken(owner.id, "to revoke");

    expect(await revokeApiToken(stranger.id, record.id)).toBe(false);
    expect(await listApiTokens(owner.id)).toHaveLength(1);

    expect(await revokeApiToken(owner.id, record.id)).toBe(true);
    expect(await listApiTokens(owner.id)).toHaveLength(0);
    expect(await revokeApiToken(owner.id, record.id)).toBe(false);
  });
});
