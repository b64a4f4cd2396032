import { createStore, type StoreApi } from "zustand/vanilla";
import type { NodeTexts } from "~/lib/llm-text-stream";
import type { RunProgress, RunStatus } from "~workflow/run-progress";
import type { RealtimeAccess, RunDetail, RunScope, RunsPage, RunSummary, StartedRun } from "./run-schemas";
import { isFinishedRunStatus } from "~workflow/run-progress";

/**
 * The run the editor follows live and lays over the canvas: the one last started here (or found
 * still going when the page loaded). It stays on the canvas after it ends, until the next one.
 */
export interface ActiveRun {
  runId: string;
  /** Null while a fresh token is being fetched (after a reload, or when the feed dropped). */
  access: RealtimeAccess | null;
  /** The latest progress the feed delivered; null until the first arrives. */
  progress: RunProgress | null;
  /** The LLM nodes' text so far, from the run's text stream. */
  texts: NodeTexts;
}

/** A message about a run request that did not work, shown until dismissed or replaced. */
export interface RunNotice {
  message: string;
  /** Every problem, when the server found several (e.g. more than one node without an output). */
  problems: string[];
}

export interface RunsActions {
  /** A page of older runs (the cursor's page) arrived; runs already listed keep their newer state. */
  pageLoaded(page: RunsPage): void;
  loadingMore(loading: boolean): void;
  /** A run was started here: it goes to the top of the history and becomes the active run. */
  runStarted(started: StartedRun, request: { scope: RunScope; nodeIds: string[]; retryOfId: string | null }, now: Date): void;
  accessReceived(runId: string, access: RealtimeAccess): void;
  /** The feed dropped or its token is about to expire: a fresh one is on its way. */
  accessExpired(runId: string): void;
  progressReceived(runId: string, progress: RunProgress): void;
  textReceived(runId: string, texts: NodeTexts): void;
  detailLoaded(detail: RunDetail): void;
  /** Takes the run's results off the canvas (the history keeps them). */
  dismissActive(): void;
  setStarting(starting: boolean): void;
  showNotice(notice: RunNotice | null): void;
  setPanelOpen(open: boolean): void;
}

export interface RunsState {
  workflowId: string;
  /** The workflow's runs, newest first. */
  runs: RunSummary[];
  /** Where the next (older) page starts; null when every run is listed. */
  nextCursor: string | null;
  loadingMore: boolean;
  active: ActiveRun | null;
  /** Node-level records of runs, loaded when a run is expanded or the active run's nodes end. */
  details: Record<string, RunDetail>;
  /** A start, retry or cancel request is on its way. */
  starting: boolean;
  notice: RunNotice | null;
  /** Whether the History sidebar is shown: at first when there are runs, and whenever one starts. */
  panelOpen: boolean;
  actions: RunsActions;
}

export type RunsStore = StoreApi<RunsState>;

/**
 * One store per open editor, seeded with the first page of history from the loader. A run still
 * going then (the page was reloaded mid-run) is followed again at once.
 */
export function createRunsStore(initial: { workflowId: string; page: RunsPage }): RunsStore {
  return createStore<RunsState>()((set, get) => {
    const actions: RunsActions = {
      pageLoaded(page) {
        set((state) => ({ runs: mergeRuns(state.runs, page.runs), nextCursor: page.nextCursor, loadingMore: false }));
      },

      loadingMore(loading) {
        set({ loadingMore: loading });
      },

      runStarted(started, request, now) {
        const summary: RunSummary = {
          id: started.run.id,
          workflowId: get().workflowId,
          status: started.run.status,
          scope: started.run.scope,
          requestedNodeIds: request.scope === "full" ? [] : request.nodeIds,
          createdAt: now,
          startedAt: null,
          finishedAt: null,
          durationMs: null,
          error: null,
          retryOfId: request.retryOfId,
          costUsd: 0,
        };
        set((state) => ({
          runs: mergeRuns([summary], state.runs),
          active: { runId: summary.id, access: started.realtime, progress: null, texts: {} },
          notice: null,
          panelOpen: true,
        }));
      },

      accessReceived(runId, access) {
        const { active } = get();
        if (active?.runId === runId) set({ active: { ...active, access } });
      },

      accessExpired(runId) {
        const { active } = get();
        if (active?.runId === runId) set({ active: { ...active, access: null } });
      },

      progressReceived(runId, progress) {
        const { active } = get();
        if (active?.runId !== runId) return;
        // One update, so the store's subscribers (every node's menu among them) hear of it once.
        // An ended run's entry is final (the feed can lag behind the records that said so).
        set((state) => ({
          active: { ...active, progress },
          runs: patchRun(state.runs, runId, (run) => (!isFinishedRunStatus(run.status) ? withProgress(run, progress) : run)),
        }));
      },

      textReceived(runId, texts) {
        const { active } = get();
        if (active?.runId === runId) set({ active: { ...active, texts } });
      },

      detailLoaded(detail) {
        const { nodes: _nodes, ...summary } = detail;
        set((state) => {
          // The feed is newer than the records while a run goes; once the records say it ended, they are final.
          const live = state.active?.runId === detail.id && state.active.progress;
          const runs = !live || isFinishedRunStatus(summary.status) ? patchRun(state.runs, detail.id, () => summary) : state.runs;
          return { details: { ...state.details, [detail.id]: detail }, runs };
        });
      },

      dismissActive() {
        set({ active: null });
      },

      setStarting(starting) {
        set({ starting });
      },

      showNotice(notice) {
        set({ notice });
      },

      setPanelOpen(open) {
        set({ panelOpen: open });
      },
    };

    const runs = mergeRuns([], initial.page.runs);
    const resume = runToResume(runs);
    return {
      workflowId: initial.workflowId,
      runs,
      nextCursor: initial.page.nextCursor,
      loadingMore: false,
      active: resume ? { runId: resume.id, access: null, progress: null, texts: {} } : null,
      details: {},
      starting: false,
      notice: null,
      panelOpen: initial.page.runs.length > 0,
      actions,
    };
  });
}

/** Both lists in one, newest first, each run once (the first list's copy wins: it is the newer). */
export function mergeRuns(newer: readonly RunSummary[], older: readonly RunSummary[]): RunSummary[] {
  const seen = new Set<string>();
  const merged: RunSummary[] = [];
  for (const run of [...newer, ...older]) {
    if (seen.has(run.id)) continue;
    seen.add(run.id);
    merged.push(run);
  }
  return merged.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * `runs` with one run patched; the same list when the patch returns the run unchanged, so the
 * history is not drawn again for progress that changes nothing it shows (most updates only move
 * a node along).
 */
function patchRun(runs: RunSummary[], runId: string, patch: (run: RunSummary) => RunSummary): RunSummary[] {
  const index = runs.findIndex((run) => run.id === runId);
  if (index === -1) return runs;
  const patched = patch(runs[index]);
  return patched === runs[index] ? runs : runs.map((run, at) => (at === index ? patched : run));
}

/** A history entry brought up to date with the run's live progress; the same entry when it already is. */
export function withProgress(run: RunSummary, progress: RunProgress): RunSummary {
  const startedAt = progress.startedAt ? new Date(progress.startedAt) : run.startedAt;
  const finishedAt = progress.finishedAt ? new Date(progress.finishedAt) : null;
  const unchanged =
    run.status === progress.status &&
    run.error === progress.error &&
    run.startedAt?.getTime() === startedAt?.getTime() &&
    run.finishedAt?.getTime() === finishedAt?.getTime();
  if (unchanged) return run;
  return {
    ...run,
    status: progress.status,
    startedAt,
    finishedAt,
    durationMs: startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : null,
    error: progress.error,
  };
}

/**
 * Whether starting another run must wait: a request is on its way, or the followed run still
 * goes (the editor follows one run at a time; its Cancel button ends it).
 */
export function isRunBusy(state: Pick<RunsState, "starting" | "active" | "runs">): boolean {
  if (state.starting) return true;
  const status = activeRunStatus(state);
  return status !== null && !isFinishedRunStatus(status);
}

/**
 * The followed run's status (null when none is followed): its history entry once that says it
 * ended, whoever said so first (the feed, or records loaded while the feed lagged behind), else
 * the live progress, else the entry.
 */
export function activeRunStatus(state: Pick<RunsState, "active" | "runs">): RunStatus | null {
  const { active } = state;
  if (!active) return null;
  const entry = state.runs.find((run) => run.id === active.runId)?.status;
  if (entry !== undefined && isFinishedRunStatus(entry)) return entry;
  return active.progress?.status ?? entry ?? "queued";
}

/** The newest run that has not ended: after a reload, the one to follow live. */
export function runToResume(runs: readonly RunSummary[]): RunSummary | null {
  return runs.find((run) => !isFinishedRunStatus(run.status)) ?? null;
}
