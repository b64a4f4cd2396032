import { z } from "zod";
import { apiError } from "~/.server/http.server";
import { verifyAccessToken } from "../engine/access-token.server";

// The realtime routes (run feed and streams) read a run with the run-scoped token the run API
// handed out, as Trigger.dev's do with its public access tokens.

/**
 * null when the request's bearer token may read this run; else the 401 (no token, or not a valid
 * one) or 403 (a valid token for other runs) to answer with.
 */
export function authorizeRunRequest(request: Request, engineRunId: string): Response | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("Authorization") ?? "");
  if (!match) {
    return apiError(401, "unauthorized", "Send the run's access token in an `Authorization: Bearer <token>` header.");
  }
  const token = match[1];
  if (verifyAccessToken(token, engineRunId)) return null;
  // The token names the runs it claims to cover; if it is genuine for one of them, it is a valid
  // token for another run rather than a forged or expired one.
  if (claimedRunIds(token).some((runId) => verifyAccessToken(token, runId))) {
    return apiError(403, "forbidden", "This access token does not cover this run.");
  }
  return apiError(401, "invalid_token", "The access token is invalid or has expired; ask for a new one.");
}

const READ_RUN_SCOPE = "read:runs:";
const ClaimedScopesSchema = z.object({ scopes: z.array(z.string()).max(10) });

/** The run ids a token's (unverified) claims name. */
function claimedRunIds(token: string): string[] {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    const parsed = ClaimedScopesSchema.safeParse(payload);
    if (!parsed.success) return [];
    return parsed.data.scopes.filter((scope) => scope.startsWith(READ_RUN_SCOPE)).map((scope) => scope.slice(READ_RUN_SCOPE.length));
  } catch {
    return [];
  }
}
