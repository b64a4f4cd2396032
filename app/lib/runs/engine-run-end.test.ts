import { describe, expect, it } from "vitest";
import type { RunProgress } from "~workflow/run-progress";
import { engineRunEnded, progressAfterEngineRunEnded } from "./engine-run-end";

const now = new Date("2026-12-03T10:00:00.000Z");

function running(): RunProgress {
  return {
    version: 1,
    runId: "run-1",
    status: "running",
    startedAt: "2026-12-03T09:59:00.000Z",
    finishedAt: null,
    error: null,
    nodes: {
      text: { status: "success", startedAt: null, finishedAt: null, durationMs: 1, preview: "hi", error: null, cached: false, cachedFromRunId: null },
      llm: { status: "running", startedAt: "2026-12-03T09:59:01.000Z", finishedAt: null, durationMs: null, preview: null, error: null, cached: false, cachedFromRunId: null },
      after: { status: "idle", startedAt: null, finishedAt: null, durationMs: null, preview: null, error: null, cached: false, cachedFromRunId: null },
    },
  };
}

describe("a run whose orchestrator's Trigger.dev run ended", () => {
  it("knows which Trigger.dev statuses are the end", () => {
    for (const status of ["COMPLETED", "CANCELED", "FAILED", "CRASHED", "SYSTEM_FAILURE", "EXPIRED", "TIMED_OUT"]) {
      expect(engineRunEnded({ status })).toBe(true);
    }
    for (const status of ["QUEUED", "PENDING_VERSION", "DELAYED", "DEQUEUED", "EXECUTING", "WAITING"]) {
      expect(engineRunEnded({ status })).toBe(false);
    }
  });

  it("ends a progress that still says running: failed with the reason, unfinished nodes cancelled", () => {
    const ended = progressAfterEngineRunEnded("run-1", running(), { status: "CRASHED", errorMessage: "Out of memory" }, now);

    expect(ended).toMatchObject({
      runId: "run-1",
      status: "failed",
      finishedAt: now.toISOString(),
      error: "The run's orchestrator crashed (out of memory, or its process died): Out of memory",
    });
    expect(Object.fromEntries(Object.entries(ended!.nodes).map(([id, node]) => [id, node.status]))).toEqual({
      text: "success",
      llm: "cancelled",
      after: "cancelled",
    });
  });

  it("ends a run that never reported (expired in the queue) and one cancelled on Trigger.dev", () => {
    expect(progressAfterEngineRunEnded("run-2", null, { status: "EXPIRED" }, now)).toMatchObject({
      runId: "run-2",
      status: "failed",
      nodes: {},
      error: expect.stringMatching(/^The run never started: Trigger.dev expired it/),
    });
    expect(progressAfterEngineRunEnded("run-2", running(), { status: "CANCELED" }, now)).toMatchObject({ status: "cancelled" });
  });

  it("changes nothing while the run goes, or when the orchestrator recorded the end itself", () => {
    expect(progressAfterEngineRunEnded("run-1", running(), { status: "EXECUTING" }, now)).toBeNull();
    expect(progressAfterEngineRunEnded("run-1", { ...running(), status: "partial" }, { status: "COMPLETED" }, now)).toBeNull();
  });
});
