import { runBudget } from "~/.server/cost/cost.server";
import { summarizeProblems } from "~/.server/graph.server";
import type { RunHost, RunNodeRequest } from "~workflow/host";
import type { RunProgress, RunStatus } from "~workflow/run-progress";
import { isFinishedRunStatus } from "~workflow/run-progress";
import { executeRun, type RunResult } from "~workflow/scheduler";
import type { NodeOutputs } from "~workflow/values";
import {
  createRunStore,
  endRunWithoutEngine,
  findCachedExecution,
  loadRunForExecution,
  planExecution,
  RunNotFoundError,
  type RunForExecution,
} from "./run-store.server";

/** What an engine supplies to execute a stored run: how a node runs and who hears of progress. */
export interface StoredRunMode {
  /** Executes one node (embedded: in this process; Trigger.dev: in this process or as a child task). */
  runNode(request: RunNodeRequest): Promise<NodeOutputs>;
  /**
   * Tells the run's watchers (embedded publisher, Trigger.dev metadata). Called in order, each
   * time after the database has the state, so whoever reacts to a final state finds it there.
   */
  publishProgress(progress: RunProgress): Promise<void> | void;
  /** Most node executions in flight at once. */
  concurrency: number;
  /** Aborting it cancels the run. */
  signal: AbortSignal;
  /**
   * True once this process has let go of the run (the embedded engine is stopping): from then on
   * nothing about it is written or published, so it resumes on the next start as it was left.
   */
  detached?: () => boolean;
}

export type StoredRunOutcome =
  /** The run's rows are gone: deleted with its workflow. */
  | { outcome: "missing" }
  /** It had already ended (cancelled while queued, or finished by an earlier attempt). */
  | { outcome: "already_finished"; status: RunStatus }
  /** Planning refused it (e.g. its graph can no longer run); it was ended as failed. */
  | { outcome: "refused"; error: string }
  | { outcome: "executed"; result: RunResult };

/**
 * Executes a run whose rows are written, in either mode: loads it (unless given), stops if it
 * already ended, plans what is left to do (its stored plan, or the resumption of an interrupted
 * run), ends it when planning refuses, and runs the workflow core with a host over the run
 * store. A run deleted while executing stops at its next write.
 */
export async function executeStoredRun(runId: string, mode: StoredRunMode, loaded?: RunForExecution): Promise<StoredRunOutcome> {
  const run = loaded ?? (await loadRunForExecution(runId));
  if (!run) return { outcome: "missing" };
  if (isFinishedRunStatus(run.status)) return { outcome: "already_finished", status: run.status };

  const planned = planExecution(run);
  if (!planned.ok) {
    const error = summarizeProblems(planned.problems);
    await endRunWithoutEngine(runId, { status: "failed", error });
    return { outcome: "refused", error };
  }

  const deleted = new AbortController();
  const result = await executeRun({
    runId,
    graph: run.graph,
    plan: planned.plan,
    host: storedRunHost(run, mode, deleted),
    concurrency: mode.concurrency,
    signal: AbortSignal.any([mode.signal, deleted.signal]),
    budget: await runBudget(run.ownerId, run),
  });
  return { outcome: "executed", result };
}

function storedRunHost(run: RunForExecution, mode: StoredRunMode, deleted: AbortController): RunHost {
  const store = createRunStore(run.id);
  const detached = mode.detached ?? (() => false);
  let reports: Promise<void> = Promise.resolve();
  const write = async (persist: () => Promise<void>) => {
    if (detached()) return;
    try {
      await persist();
    } catch (error) {
      // The run was deleted with its workflow: executing the rest would be wasted work.
      if (error instanceof RunNotFoundError) deleted.abort(error);
      throw error;
    }
  };
  return {
    runNode: (request) => mode.runNode(request),

    // By the run's owner: the cache is never shared across owners. Both modes settle a hit here,
    // before runNode, so Trigger.dev mode triggers no child task for it.
    findCachedExecution: (fingerprint) => findCachedExecution(run.ownerId, fingerprint),

    recordNode: (update) => write(() => store.recordNode(update)),
    recordQueued: (queue) => write(() => store.recordQueued(queue)),

    reportProgress(progress) {
      const report = reports.then(async () => {
        if (detached()) return;
        try {
          await store.reportProgress(progress);
        } finally {
          await mode.publishProgress(progress);
        }
      });
      reports = report.catch(() => {});
      return report;
    },
  };
}
