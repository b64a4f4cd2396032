import { describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { readRunProgress, type RunProgress } from "~workflow/run-progress";
import { createAccessToken } from "../engine/access-token.server";
import { RunEvents } from "../engine/run-events.server";
import { runFeedResponse, type RunFeedOptions } from "./run-feed.server";
import type { ShapeMessage } from "./run-shape.server";
import { createTestRun, progressSteps } from "./test-support";

const LONG_POLL_MS = 300;

interface FeedAnswer {
  status: number;
  handle: string | null;
  offset: string | null;
  messages: ShapeMessage[];
  /** The progress in the row it carried, if any. */
  progress: RunProgress | null;
  /** The task run status in the row it carried, if any. */
  taskStatus: string | null;
}

async function ask(
  engineRunId: string,
  query: Record<string, string>,
  options: RunFeedOptions & { token?: string | null; signal?: AbortSignal } = {},
): Promise<FeedAnswer> {
  const token = options.token === undefined ? createAccessToken(engineRunId) : options.token;
  const request = new Request(`http://localhost/realtime/v1/runs/${engineRunId}?${new URLSearchParams(query)}`, {
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    signal: options.signal,
  });
  const response = await runFeedResponse(request, engineRunId, { longPollMs: LONG_POLL_MS, ...options });
  const messages = response.ok && response.status !== 204 ? ((await response.json()) as ShapeMessage[]) : [];
  const row = messages.find((message) => "key" in message);
  const value = row && "value" in row ? row.value : null;
  return {
    status: response.status,
    handle: response.headers.get("electric-handle"),
    offset: response.headers.get("electric-offset"),
    messages,
    progress: value?.metadata ? readRunProgress(JSON.parse(value.metadata)) : null,
    taskStatus: value?.status ?? null,
  };
}

/** The follow-up request the SDK makes once it has an answer. */
function live(answer: FeedAnswer): Record<string, string> {
  return { offset: answer.offset!, handle: answer.handle!, live: "true", cursor: "1" };
}

const UP_TO_DATE_ONLY = [{ headers: { control: "up-to-date" } }];

describe("authorising a realtime request", () => {
  it("answers 401 without a token, and with a forged or expired one", async () => {
    const { engineRunId } = await createTestRun();
    const events = new RunEvents();
    expect((await ask(engineRunId, { offset: "-1" }, { events, token: null })).status).toBe(401);
    expect((await ask(engineRunId, { offset: "-1" }, { events, token: "abc.def.ghi" })).status).toBe(401);
    const expired = createAccessToken(engineRunId, Date.now() - 60 * 60_000);
    expect((await ask(engineRunId, { offset: "-1" }, { events, token: expired })).status).toBe(401);
  });

  it("answers 403 to a valid token for another run, and 404 for a run that does not exist", async () => {
    const { engineRunId } = await createTestRun();
    const other = await createTestRun();
    const events = new RunEvents();
    const otherToken = createAccessToken(other.engineRunId);
    expect((await ask(engineRunId, { offset: "-1" }, { events, token: otherToken })).status).toBe(403);
    expect((await ask("run_missing", { offset: "-1" }, { events })).status).toBe(404);
  });

  it("answers 400 to an offset the protocol does not have", async () => {
    const { engineRunId } = await createTestRun();
    expect((await ask(engineRunId, { offset: "soon" }, { events: new RunEvents() })).status).toBe(400);
  });
});

describe("a run the engine is publishing", () => {
  it("sends the latest state first, then holds a live request until the next report", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const events = new RunEvents();
    const steps = progressSteps(runId);
    events.open(engineRunId);
    events.publish(engineRunId, steps.started);

    const first = await ask(engineRunId, { offset: "-1", log: "full" }, { events });
    expect(first).toMatchObject({ status: 200, offset: "1_0", taskStatus: "EXECUTING", progress: steps.started });
    expect(first.messages.map((message) => message.headers)).toEqual([{ operation: "insert" }, { control: "up-to-date" }]);

    const held = ask(engineRunId, live(first), { events, longPollMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    events.publish(engineRunId, steps.streaming);
    const update = await held;
    expect(update).toMatchObject({ status: 200, handle: first.handle, offset: "2_0", progress: steps.streaming });
    expect(update.messages[0].headers).toEqual({ operation: "update" });
  });

  it("answers a live request with only up-to-date, at the same offset, when nothing happens", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const events = new RunEvents();
    events.publish(engineRunId, progressSteps(runId).started);
    const first = await ask(engineRunId, { offset: "-1" }, { events });

    const startedAt = performance.now();
    const quiet = await ask(engineRunId, live(first), { events });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(LONG_POLL_MS - 20);
    expect(quiet).toMatchObject({ status: 200, handle: first.handle, offset: first.offset, messages: UP_TO_DATE_ONLY });
  });

  it("answers a client that is behind at once, and one that is current without waiting when not live", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const events = new RunEvents();
    const steps = progressSteps(runId);
    events.publish(engineRunId, steps.started);
    const first = await ask(engineRunId, { offset: "-1" }, { events });
    events.publish(engineRunId, steps.streaming);

    const behind = await ask(engineRunId, live(first), { events, longPollMs: 10_000 });
    expect(behind).toMatchObject({ offset: "2_0", progress: steps.streaming });
    const resumed = await ask(engineRunId, { offset: behind.offset!, handle: behind.handle! }, { events, longPollMs: 10_000 });
    expect(resumed).toMatchObject({ offset: "2_0", messages: UP_TO_DATE_ONLY });
  });

  it("sends the whole row to a client holding a handle from before a restart", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const events = new RunEvents();
    const steps = progressSteps(runId);
    events.publish(engineRunId, steps.started);
    const answer = await ask(engineRunId, { offset: "1_0", handle: "before-restart", live: "true" }, { events, longPollMs: 10_000 });
    expect(answer).toMatchObject({ offset: "1_0", progress: steps.started });
    expect(answer.handle).not.toBe("before-restart");
  });

  it("sends a finished run's final state at once, then does not answer again until the poll times out", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const events = new RunEvents();
    const steps = progressSteps(runId);
    events.publish(engineRunId, steps.started);
    const first = await ask(engineRunId, { offset: "-1" }, { events });
    events.publish(engineRunId, steps.finished);

    const final = await ask(engineRunId, live(first), { events, longPollMs: 10_000 });
    expect(final).toMatchObject({ taskStatus: "COMPLETED_SUCCESSFULLY", progress: steps.finished });

    // A client that keeps listening after the end (stopOnCompletion: false) must not spin.
    const startedAt = performance.now();
    const after = await ask(engineRunId, live(final), { events });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(LONG_POLL_MS - 20);
    expect(after.messages).toEqual(UP_TO_DATE_ONLY);
  });

  it("stops waiting when the client goes away", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const events = new RunEvents();
    events.publish(engineRunId, progressSteps(runId).started);
    const first = await ask(engineRunId, { offset: "-1" }, { events });

    const controller = new AbortController();
    const held = ask(engineRunId, live(first), { events, longPollMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const startedAt = performance.now();
    expect((await held).status).toBe(204);
    expect(performance.now() - startedAt).toBeLessThan(5_000);
  });
});

describe("a run the engine is not publishing", () => {
  it("is served from the database, and switches to the engine's reports once it has some", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "queued" });
    const events = new RunEvents();

    const fromDatabase = await ask(engineRunId, { offset: "-1" }, { events });
    expect(fromDatabase).toMatchObject({ status: 200, offset: "0_0", taskStatus: "PENDING" });
    expect(fromDatabase.progress).toMatchObject({ runId, status: "queued", nodes: { prompt: { status: "queued" }, llm: { status: "queued" } } });

    // The engine picks the run up: the live request waits for its first report.
    events.open(engineRunId);
    const held = ask(engineRunId, live(fromDatabase), { events, longPollMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const steps = progressSteps(runId);
    events.publish(engineRunId, steps.started);
    const published = await held;
    expect(published).toMatchObject({ offset: "1_0", taskStatus: "EXECUTING", progress: steps.started });
    expect(published.handle).not.toBe(fromDatabase.handle);
  });

  it("answers 404 to a client waiting on a run deleted meanwhile", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const events = new RunEvents();
    const first = await ask(engineRunId, { offset: "-1" }, { events });
    const held = ask(engineRunId, live(first), { events });
    await db.workflowRun.delete({ where: { id: runId } });
    expect((await held).status).toBe(404);
  });

  it("serves a finished run's final state from its rows", async () => {
    const { engineRunId } = await createTestRun({ status: "cancelled", nodes: { prompt: "success", llm: "cancelled" } });
    const answer = await ask(engineRunId, { offset: "-1" }, { events: new RunEvents() });
    expect(answer).toMatchObject({ offset: "1_0", taskStatus: "CANCELED" });
    expect(answer.progress).toMatchObject({ status: "cancelled", nodes: { llm: { status: "cancelled" } } });
  });
});
