import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loader as sharePageLoader } from "~/routes/share.$token";
import { TEST_ORIGIN } from "~test/route-helpers";
import { createRunWithMedia } from "~test/share-fixtures";
import { db } from "../db.server";
import { createAccessToken } from "../engine/access-token.server";
import { RunEvents } from "../engine/run-events.server";
import { createShareLink, revokeShareLink } from "../models/share.server";
import { openRealtimeRequests } from "./authorize.server";
import { runFeedResponse } from "./run-feed.server";
import { progressSteps } from "./test-support";
import { textStreamResponse } from "./text-stream.server";

// A share link's visitor follows a running run with a token the share page minted. Revoking the
// link (or replacing it) must end that at once: open requests close, new ones are refused.

async function sharedRunningRun() {
  const { ownerId, runId } = await createRunWithMedia();
  const engineRunId = `embedded-${randomUUID()}`;
  await db.workflowRun.update({ where: { id: runId }, data: { status: "running", finishedAt: null, engineRunId } });
  const shareToken = (await createShareLink(ownerId, runId))!;
  const page = await sharePageLoader({ request: new Request(`${TEST_ORIGIN}/share/${shareToken}`), params: { token: shareToken }, context: {} });
  const accessToken = page.data.realtime!.accessToken;
  return { ownerId, runId, engineRunId, shareToken, accessToken };
}

function feed(engineRunId: string, token: string, query = "offset=-1", clientAddress = "10.9.0.1") {
  const request = new Request(`${TEST_ORIGIN}/realtime/v1/runs/${engineRunId}?${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return runFeedResponse(request, engineRunId, { clientAddress, longPollMs: 60_000 });
}

describe("share links and realtime tokens", () => {
  it("a visitor's token works while the link lives, and is refused (401) once it is revoked", async () => {
    const { ownerId, runId, engineRunId, accessToken } = await sharedRunningRun();
    expect((await feed(engineRunId, accessToken)).status).toBe(200);
    expect(await revokeShareLink(ownerId, runId)).toBe(true);
    const refused = await feed(engineRunId, accessToken);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "share_revoked" } });
  });

  it("a replaced link's tokens stop too; the owner's own tokens are not affected", async () => {
    const { ownerId, runId, engineRunId, accessToken } = await sharedRunningRun();
    await createShareLink(ownerId, runId);
    expect((await feed(engineRunId, accessToken)).status).toBe(401);
    expect((await feed(engineRunId, createAccessToken(engineRunId))).status).toBe(200);
  });

  it("ends a long-poll held open under the link the moment the link is revoked", async () => {
    const { ownerId, runId, engineRunId, accessToken } = await sharedRunningRun();
    const first = await feed(engineRunId, accessToken);
    const position = `handle=${first.headers.get("electric-handle")}&offset=${first.headers.get("electric-offset")}&live=true`;
    // Would wait a minute for a change that never comes.
    const waiting = feed(engineRunId, accessToken, position);
    await revokeShareLink(ownerId, runId);
    const answer = await waiting;
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { code: "share_revoked" } });
  });

  it("ends a text stream held open under the link when the link is revoked", async () => {
    const { ownerId, runId, engineRunId, accessToken } = await sharedRunningRun();
    // A run this process publishes text for, still going: the stream stays open.
    const events = new RunEvents();
    events.publish(engineRunId, progressSteps(runId).started);
    events.appendText(engineRunId, { nodeId: "llm", offset: 0, text: "hello" });
    const request = new Request(`${TEST_ORIGIN}/realtime/v1/streams/${engineRunId}/llm-text`, { headers: { Authorization: `Bearer ${accessToken}` } });
    const response = await textStreamResponse(request, engineRunId, "llm-text", { events, clientAddress: "10.9.0.2" });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("hello");
    await revokeShareLink(ownerId, runId);
    expect((await reader.read()).done).toBe(true);
  });
});

describe("open realtime requests per token and per client", () => {
  it("answers 429 beyond MAX_REALTIME_REQUESTS_PER_TOKEN (8) open long-polls, and frees the slots when they end", async () => {
    const { ownerId, runId, engineRunId, accessToken } = await sharedRunningRun();
    const first = await feed(engineRunId, accessToken);
    const position = `handle=${first.headers.get("electric-handle")}&offset=${first.headers.get("electric-offset")}&live=true`;
    const before = openRealtimeRequests().tokens;
    // Each from its own address: this is the token's limit.
    const held = Array.from({ length: 8 }, (_, index) => feed(engineRunId, accessToken, position, `10.8.0.${index}`));
    const ninth = await feed(engineRunId, accessToken, position, "10.8.1.1");
    expect(ninth.status).toBe(429);
    expect(ninth.headers.get("Retry-After")).toBeTruthy();
    expect(await ninth.json()).toMatchObject({ error: { code: "too_many_realtime_requests" } });
    await revokeShareLink(ownerId, runId);
    await Promise.all(held);
    expect(openRealtimeRequests().tokens).toBe(before);
  });
});
