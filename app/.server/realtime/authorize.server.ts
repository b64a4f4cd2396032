import { createHash } from "node:crypto";
import { z } from "zod";
import { db } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import { apiError } from "~/.server/http.server";
import { accessTokenShare, verifyAccessToken } from "../engine/access-token.server";
import { onShareLinkChanged } from "./share-events.server";
import { remember } from "~/.server/remember.server";

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

/** How a share page's realtime tokens name their link: a prefix of the link's stored hash. */
export function shareBinding(shareTokenHash: string): string {
  return shareTokenHash.slice(0, 16);
}

/** A realtime request allowed to proceed: `signal` aborts when it must end early; `release` when it is done. */
export interface RealtimeGrant {
  signal: AbortSignal;
  release(): void;
}

function openRequests() {
  return remember("realtime-open-requests", () => ({ byToken: new Map<string, number>(), byClient: new Map<string, number>() }));
}

/** Open realtime requests now, per token and per client (tests). */
export function openRealtimeRequests(): { tokens: number; clients: number } {
  const open = openRequests();
  return { tokens: [...open.byToken.values()].reduce((a, b) => a + b, 0), clients: open.byClient.size };
}

/**
 * Everything a realtime request (long-poll or stream) passes before it is served:
 * - the token must read this run (`authorizeRunRequest`);
 * - a token made for a share link's visitor works only while that link is the run's live link,
 *   and a request open under it ends the moment the link is replaced or revoked;
 * - at most MAX_REALTIME_REQUESTS_PER_TOKEN open at once per token and
 *   MAX_REALTIME_REQUESTS_PER_CLIENT per client address: 429 beyond, so nobody can hold
 *   unbounded connections (each holds a socket and a listener) by asking faster than answers come.
 */
export async function openRealtimeRequest(
  request: Request,
  engineRunId: string,
  clientAddress = "unknown",
): Promise<{ denied: Response } | { granted: RealtimeGrant }> {
  const denied = authorizeRunRequest(request, engineRunId);
  if (denied) return { denied };
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("Authorization") ?? "")![1];

  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  const share = accessTokenShare(token, engineRunId);
  if (share !== null) {
    const run = await db.workflowRun.findUnique({ where: { engineRunId }, select: { id: true, shareTokenHash: true } });
    if (!run || run.shareTokenHash === null || shareBinding(run.shareTokenHash) !== share) {
      return { denied: apiError(401, "share_revoked", "This share link was revoked; the run can no longer be followed through it.") };
    }
    cleanups.push(onShareLinkChanged(run.id, () => controller.abort()));
  }

  const config = env();
  const open = openRequests();
  const tokenKey = createHash("sha256").update(token).digest("hex");
  if ((open.byToken.get(tokenKey) ?? 0) >= config.MAX_REALTIME_REQUESTS_PER_TOKEN || (open.byClient.get(clientAddress) ?? 0) >= config.MAX_REALTIME_REQUESTS_PER_CLIENT) {
    for (const cleanup of cleanups) cleanup();
    const response = apiError(429, "too_many_realtime_requests", "Too many realtime requests are open at once; close some (other tabs?) and try again.");
    response.headers.set("Retry-After", "5");
    return { denied: response };
  }
  const bump = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next > 0) map.set(key, next);
    else map.delete(key);
  };
  bump(open.byToken, tokenKey, 1);
  bump(open.byClient, clientAddress, 1);

  let released = false;
  return {
    granted: {
      signal: controller.signal,
      release() {
        if (released) return;
        released = true;
        bump(open.byToken, tokenKey, -1);
        bump(open.byClient, clientAddress, -1);
        for (const cleanup of cleanups) cleanup();
      },
    },
  };
}
