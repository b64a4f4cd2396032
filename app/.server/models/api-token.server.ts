import { API_TOKEN_PREFIX, hashToken, randomToken } from "~/.server/auth.server";
import { db } from "~/.server/db.server";
import type { Prisma } from "~/.server/generated/prisma/client";

/** Enough of a token to show and tell apart; never its hash. */
const API_TOKEN_SUMMARY = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true } as const;

export type ApiTokenSummary = Prisma.ApiTokenGetPayload<{ select: typeof API_TOKEN_SUMMARY }>;

// "weft_" plus a few random characters: recognisable in a list without being guessable.
const DISPLAY_PREFIX_LENGTH = 12;

/** Creates a token and returns its plaintext, which exists only in this return value from now on. */
export async function createApiToken(
  userId: string,
  name: string,
  expiresAt: Date | null = null,
): Promise<{ token: string; record: ApiTokenSummary }> {
  const token = API_TOKEN_PREFIX + randomToken();
  const record = await db.apiToken.create({
    data: { userId, name, tokenHash: hashToken(token), prefix: token.slice(0, DISPLAY_PREFIX_LENGTH), expiresAt },
    select: API_TOKEN_SUMMARY,
  });
  return { token, record };
}

export async function listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
  return db.apiToken.findMany({
    where: { userId },
    select: API_TOKEN_SUMMARY,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

/** False when the token does not exist or belongs to someone else; callers answer both the same way. */
export async function revokeApiToken(userId: string, id: string): Promise<boolean> {
  const { count } = await db.apiToken.deleteMany({ where: { id, userId } });
  return count > 0;
}
