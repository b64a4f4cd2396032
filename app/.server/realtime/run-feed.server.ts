import { db } from "~/.server/db.server";
import { apiError } from "~/.server/http.server";
import { describeIssues } from "~workflow/validation-messages";
import { isFinishedRunStatus, type RunProgress } from "~workflow/run-progress";
import { runEvents, type RunEvents } from "../engine/run-events.server";
import { NODE_EXECUTION_FIELDS, toNodeExecutionRecord } from "../engine/run-store.server";
import { openRealtimeRequest } from "./authorize.server";
import { progressFromRecords } from "./progress-from-records.server";
import {
  clientPosition,
  runShapeRow,
  shapeHeaders,
  shapeMessages,
  ShapeQuerySchema,
  type ShapePosition,
} from "./run-shape.server";

// Serves one embedded run's realtime feed (ADR 007): authorises the run-scoped token, answers
// with the run's latest state, and holds live requests until the engine publishes a newer one.

/** How long a live request waits for a change before answering "nothing new" (Electric's own default). */
export const LONG_POLL_MS = 20_000;

export interface RunFeedOptions {
  /** The engine's publisher (tests pass their own). */
  events?: RunEvents;
  longPollMs?: number;
  /** Who asks, for the per-client cap on open requests. */
  clientAddress?: string;
}

/**
 * This process's id in handles: versions count from zero again after a restart, so a client
 * holding a handle from before is sent the whole row instead of waiting for a version it has.
 */
export const PROCESS_EPOCH = Math.floor(performance.timeOrigin).toString(36);

/** The run's state as served: where it is in its log, and what it holds. */
interface FeedState extends ShapePosition {
  progress: RunProgress;
  finished: boolean;
  /** Whether the engine's publisher has it (and will announce the next version). */
  published: boolean;
}

/** Answers `GET /realtime/v1/runs/:runId` for an embedded run. */
export async function runFeedResponse(request: Request, engineRunId: string, options: RunFeedOptions = {}): Promise<Response> {
  const gate = await openRealtimeRequest(request, engineRunId, options.clientAddress);
  if ("denied" in gate) return gate.denied;
  try {
    return await answerFeed(request, engineRunId, options, gate.granted.signal);
  } finally {
    gate.granted.release();
  }
}

async function answerFeed(request: Request, engineRunId: string, options: RunFeedOptions, revoked: AbortSignal): Promise<Response> {
  const events = options.events ?? runEvents;
  const url = new URL(request.url);
  const parsedQuery = ShapeQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsedQuery.success) return apiError(400, "invalid_request", describeIssues(parsedQuery.error));
  const query = parsedQuery.data;

  const run = await db.workflowRun.findUnique({ where: { engineRunId }, select: { id: true, createdAt: true } });
  let state = run ? await currentState(events, engineRunId, run.id) : null;
  if (!run || !state) return runNotFound();

  const client = clientPosition(query);
  if (query.live && client && isCurrent(client, state)) {
    const poll = longPoll(AbortSignal.any([request.signal, revoked]), options.longPollMs ?? LONG_POLL_MS);
    try {
      await waitForChange(events, engineRunId, state, poll.signal);
    } finally {
      poll.end();
    }
    // Nobody is listening any more.
    if (request.signal.aborted) return new Response(null, { status: 204 });
    if (revoked.aborted) return apiError(401, "share_revoked", "This share link was revoked; the run can no longer be followed through it.");
    // Deleted with its workflow while the client waited.
    state = await currentState(events, engineRunId, run.id);
    if (!state) return runNotFound();
  }

  const changed = client === null || !isCurrent(client, state);
  const row = changed ? runShapeRow({ engineRunId, createdAt: run.createdAt, progress: state.progress }) : null;
  return new Response(JSON.stringify(shapeMessages(row, client === null ? "insert" : "update")), {
    headers: shapeHeaders(state),
  });
}

function runNotFound(): Response {
  return apiError(404, "not_found", "There is no run with this id.");
}

function isCurrent(client: ShapePosition, state: ShapePosition): boolean {
  return client.handle === state.handle && client.version === state.version;
}

/**
 * The publisher's latest report while it has one, else the database's rows. The two are separate
 * logs (separate handles): the database's has version 0 while the run is unfinished and 1 after.
 */
async function currentState(events: RunEvents, engineRunId: string, runId: string): Promise<FeedState | null> {
  const snapshot = events.get(engineRunId);
  if (snapshot?.progress) {
    return {
      handle: `${PROCESS_EPOCH}-${engineRunId}`,
      version: snapshot.version,
      progress: snapshot.progress,
      finished: snapshot.finished,
      published: true,
    };
  }
  const progress = await loadProgress(runId);
  if (!progress) return null;
  const finished = isFinishedRunStatus(progress.status);
  return {
    handle: `${PROCESS_EPOCH}-${engineRunId}-db`,
    version: finished ? 1 : 0,
    progress,
    finished,
    published: false,
  };
}

async function loadProgress(runId: string): Promise<RunProgress | null> {
  const row = await db.workflowRun.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      startedAt: true,
      finishedAt: true,
      error: true,
      nodeExecutions: { select: NODE_EXECUTION_FIELDS },
    },
  });
  if (!row) return null;
  const { nodeExecutions, ...run } = row;
  return progressFromRecords(run, nodeExecutions.map(toNodeExecutionRecord));
}

/**
 * Resolves when the run may have changed, or when `signal` aborts. Only the publisher announces
 * changes: a finished run has none left, and a run it does not have is executed by no one here.
 */
async function waitForChange(events: RunEvents, engineRunId: string, state: FeedState, signal: AbortSignal): Promise<void> {
  if (!state.finished && events.get(engineRunId)) {
    // Before its first report, the run's database state stands for version 0 of the publisher's log.
    await events.waitForUpdate(engineRunId, state.published ? state.version : 0, signal);
    return;
  }
  if (signal.aborted) return;
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** A signal that aborts when the client goes away or the poll has lasted `ms`; `end` releases both. */
function longPoll(request: AbortSignal, ms: number): { signal: AbortSignal; end: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, ms);
  request.addEventListener("abort", abort, { once: true });
  if (request.aborted) abort();
  return {
    signal: controller.signal,
    end: () => {
      clearTimeout(timer);
      request.removeEventListener("abort", abort);
    },
  };
}
