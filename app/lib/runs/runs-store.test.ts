import { describe, expect, it } from "vitest";
import type { RunProgress } from "~workflow/run-progress";
import type { RunDetail, RunSummary } from "./run-schemas";
import { activeRunStatus, createRunsStore, isRunBusy, mergeRuns, runToResume } from "./runs-store";

function summary(id: string, createdAt: string, fields: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    workflowId: "wf",
    status: "completed",
    scope: "full",
    requestedNodeIds: [],
    createdAt: new Date(createdAt),
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    retryOfId: null,
    costUsd: 0,
    ...fields,
  };
}

const access = { runId: "engine_new", accessToken: "token", baseURL: "http://weft.test" };

function progress(status: RunProgress["status"], fields: Partial<RunProgress> = {}): RunProgress {
  return { version: 1, runId: "run_new", status, startedAt: null, finishedAt: null, nodes: {}, error: null, ...fields };
}

function storeWith(runs: RunSummary[], nextCursor: string | null = null) {
  return createRunsStore({ workflowId: "wf", page: { runs, nextCursor } });
}

describe("runs store", () => {
  it("shows the history at first only when there is some", () => {
    expect(storeWith([]).getState().panelOpen).toBe(false);
    expect(storeWith([summary("run_old", "2026-11-27T09:00:00Z")]).getState().panelOpen).toBe(true);
  });

  it("puts a run started here at the top of the history, shows the history and follows the run", () => {
    const store = storeWith([summary("run_old", "2026-11-27T09:00:00Z")]);
    store.getState().actions.setPanelOpen(false);
    const now = new Date("2026-11-27T10:00:00Z");
    store.getState().actions.runStarted(
      { run: { id: "run_new", status: "queued", scope: "selected" }, realtime: access },
      { scope: "selected", nodeIds: ["a", "b"], retryOfId: null },
      now,
    );
    const { runs, active, panelOpen } = store.getState();
    expect(panelOpen).toBe(true);
    expect(runs.map((run) => run.id)).toEqual(["run_new", "run_old"]);
    expect(runs[0]).toMatchObject({ status: "queued", scope: "selected", requestedNodeIds: ["a", "b"], createdAt: now });
    expect(active).toEqual({ runId: "run_new", access, progress: null, texts: {} });
  });

  it("updates the followed run's history entry as progress arrives, and ignores other runs' progress", () => {
    // Still queued when the page loaded: followed again.
    const store = storeWith([summary("run_new", "2026-11-27T10:00:00Z", { status: "queued" })]);
    const { actions } = store.getState();
    actions.accessReceived("run_new", access);
    actions.progressReceived("run_other", progress("failed"));
    expect(store.getState().runs[0].status).toBe("queued");

    actions.progressReceived("run_new", progress("running", { startedAt: "2026-11-27T10:00:01.000Z" }));
    expect(store.getState().runs[0]).toMatchObject({ status: "running", startedAt: new Date("2026-11-27T10:00:01Z"), durationMs: null });

    actions.progressReceived(
      "run_new",
      progress("partial", { startedAt: "2026-11-27T10:00:01.000Z", finishedAt: "2026-11-27T10:00:04.500Z", error: null }),
    );
    expect(store.getState().runs[0]).toMatchObject({ status: "partial", durationMs: 3_500 });
    expect(store.getState().active?.progress?.status).toBe("partial");
  });

  it("leaves the history list as it is for progress that only moves nodes along", () => {
    const store = storeWith([summary("run_new", "2026-11-27T10:00:00Z", { status: "queued" }), summary("run_old", "2026-11-27T09:00:00Z")]);
    const { actions } = store.getState();
    const running = progress("running", { startedAt: "2026-11-27T10:00:01.000Z" });
    actions.progressReceived("run_new", running);
    const runs = store.getState().runs;

    const node = { status: "running" as const, startedAt: "2026-11-27T10:00:01.000Z", finishedAt: null, durationMs: null, preview: "Fine ", error: null, cached: false, cachedFromRunId: null };
    actions.progressReceived("run_new", { ...running, nodes: { "llm-1": node } });
    expect(store.getState().active?.progress?.nodes["llm-1"]).toEqual(node);
    expect(store.getState().runs).toBe(runs);
  });

  it("keeps the live status while records lag behind, and takes the records once they say the run ended", () => {
    const store = storeWith([summary("run_new", "2026-11-27T10:00:00Z", { status: "queued" })]);
    const { actions } = store.getState();
    actions.progressReceived("run_new", progress("running"));
    const lagging: RunDetail = { ...summary("run_new", "2026-11-27T10:00:00Z", { status: "queued" }), nodes: [] };
    actions.detailLoaded(lagging);
    expect(store.getState().runs[0].status).toBe("running");
    expect(store.getState().details.run_new).toBe(lagging);

    actions.detailLoaded({ ...lagging, status: "completed", durationMs: 2_000 });
    expect(store.getState().runs[0]).toMatchObject({ status: "completed", durationMs: 2_000 });
  });

  it("takes the run as ended once its records say so, even while the feed still reports it running", () => {
    const store = storeWith([summary("run_new", "2026-11-27T10:00:00Z", { status: "queued" })]);
    const { actions } = store.getState();
    actions.progressReceived("run_new", progress("running"));
    expect(isRunBusy(store.getState())).toBe(true);

    actions.detailLoaded({ ...summary("run_new", "2026-11-27T10:00:00Z", { status: "completed" }), nodes: [] });
    expect(activeRunStatus(store.getState())).toBe("completed");
    expect(isRunBusy(store.getState())).toBe(false);
    // A late report from the feed does not take the entry back.
    actions.progressReceived("run_new", progress("running"));
    expect(store.getState().runs[0].status).toBe("completed");
    expect(isRunBusy(store.getState())).toBe(false);
  });

  it("keeps the followed run's streamed text", () => {
    const store = storeWith([summary("run_new", "2026-11-27T10:00:00Z", { status: "running" })]);
    const { actions } = store.getState();
    actions.textReceived("run_other", { a: "not this run" });
    expect(store.getState().active?.texts).toEqual({});
    actions.textReceived("run_new", { a: "Once upon" });
    expect(store.getState().active?.texts).toEqual({ a: "Once upon" });
  });

  it("appends older pages without repeating runs it already lists", () => {
    const store = storeWith([summary("run_3", "2026-11-27T10:03:00Z"), summary("run_2", "2026-11-27T10:02:00Z")], "cursor_1");
    store.getState().actions.pageLoaded({
      runs: [summary("run_2", "2026-11-27T10:02:00Z", { status: "failed" }), summary("run_1", "2026-11-27T10:01:00Z")],
      nextCursor: null,
    });
    const { runs, nextCursor } = store.getState();
    expect(runs.map((run) => run.id)).toEqual(["run_3", "run_2", "run_1"]);
    // The copy already listed may be the live one: it stays.
    expect(runs[1].status).toBe("completed");
    expect(nextCursor).toBeNull();
  });

  it("drops a fresh token when the feed needs a new one, only for the followed run", () => {
    const store = storeWith([summary("run_new", "2026-11-27T10:00:00Z", { status: "running" })]);
    const { actions } = store.getState();
    actions.accessReceived("run_other", access);
    expect(store.getState().active?.access).toBeNull();
    actions.accessReceived("run_new", access);
    expect(store.getState().active?.access).toEqual(access);
    actions.accessExpired("run_new");
    expect(store.getState().active?.access).toBeNull();
  });
});

describe("mergeRuns", () => {
  it("orders newest first, breaking ties by id like the API's cursor", () => {
    const merged = mergeRuns(
      [summary("b", "2026-11-27T10:00:00Z")],
      [summary("a", "2026-11-27T10:00:00Z"), summary("c", "2026-11-27T11:00:00Z")],
    );
    expect(merged.map((run) => run.id)).toEqual(["c", "b", "a"]);
  });
});

describe("createRunsStore", () => {
  it("follows again a run that was still going when the page loaded", () => {
    const store = storeWith([summary("done", "2026-11-27T10:03:00Z"), summary("going", "2026-11-27T10:02:00Z", { status: "running" })]);
    expect(store.getState().active).toEqual({ runId: "going", access: null, progress: null, texts: {} });
    expect(storeWith([summary("done", "2026-11-27T10:03:00Z")]).getState().active).toBeNull();
  });
});

describe("runToResume", () => {
  it("is the newest run that has not ended", () => {
    const runs = [
      summary("done", "2026-11-27T10:03:00Z"),
      summary("going", "2026-11-27T10:02:00Z", { status: "running" }),
      summary("waiting", "2026-11-27T10:01:00Z", { status: "queued" }),
    ];
    expect(runToResume(runs)?.id).toBe("going");
    expect(runToResume([summary("done", "2026-11-27T10:03:00Z")])).toBeNull();
  });
});

describe("isRunBusy", () => {
  it("holds new runs back while a request is on its way or the followed run goes", () => {
    const store = storeWith([summary("run_old", "2026-11-27T09:00:00Z")]);
    const { actions } = store.getState();
    expect(isRunBusy(store.getState())).toBe(false);
    actions.setStarting(true);
    expect(isRunBusy(store.getState())).toBe(true);
    actions.setStarting(false);
    actions.runStarted(
      { run: { id: "run_new", status: "queued", scope: "full" }, realtime: access },
      { scope: "full", nodeIds: [], retryOfId: null },
      new Date(),
    );
    expect(isRunBusy(store.getState())).toBe(true);
    actions.progressReceived("run_new", progress("cancelled"));
    expect(isRunBusy(store.getState())).toBe(false);
  });
});
