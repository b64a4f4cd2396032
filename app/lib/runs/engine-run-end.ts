import { isFinishedRunStatus, type RunProgress } from "~workflow/run-progress";

/**
 * A Trigger.dev run's own status (`run.status` from `useRealtimeRun` or `runs.retrieve`) once it
 * has ended. The orchestrator writes the workflow's outcome into its progress and rows before it
 * completes; when it dies instead (crashed, out of memory, timed out, expired before it started,
 * a system failure) its status is all that says the run is over.
 */
const ENDED_STATUSES = new Set(["COMPLETED", "CANCELED", "FAILED", "CRASHED", "SYSTEM_FAILURE", "EXPIRED", "TIMED_OUT"]);

export interface EngineRunState {
  status: string;
  /** The error Trigger.dev recorded for the run, when it has one. */
  errorMessage?: string | null;
}

export function engineRunEnded(run: EngineRunState): boolean {
  return ENDED_STATUSES.has(run.status);
}

/** What the person sees on a run whose orchestrator ended without recording the run's end. */
export function engineRunEndMessage(run: EngineRunState): string {
  const detail = run.errorMessage ? `: ${run.errorMessage}` : ".";
  switch (run.status) {
    case "EXPIRED":
      return "The run never started: Trigger.dev expired it after it waited in the queue longer than its TTL (is a worker deployed, or `trigger dev` running?).";
    case "TIMED_OUT":
      return `The run took longer than its maximum duration and was stopped${detail}`;
    case "CRASHED":
      return `The run's orchestrator crashed (out of memory, or its process died)${detail}`;
    case "SYSTEM_FAILURE":
      return `Trigger.dev failed to run the orchestrator${detail}`;
    case "CANCELED":
      return "The run was cancelled on Trigger.dev.";
    default:
      return `The run's orchestrator ended (${run.status}) without recording the run's end${detail}`;
  }
}

/**
 * The progress to show once the orchestrator's Trigger.dev run has ended, or null while it goes
 * or when its own progress already says how it ended: failed (cancelled when it was cancelled),
 * with the reason, and every node that had not finished cancelled.
 */
export function progressAfterEngineRunEnded(
  runId: string,
  progress: RunProgress | null,
  run: EngineRunState,
  now: Date,
): RunProgress | null {
  if (!engineRunEnded(run)) return null;
  if (progress && isFinishedRunStatus(progress.status)) return null;
  const finishedAt = now.toISOString();
  const nodes = Object.fromEntries(
    Object.entries(progress?.nodes ?? {}).map(([nodeId, node]) =>
      ["success", "failed", "skipped", "cancelled"].includes(node.status) ? [nodeId, node] : [nodeId, { ...node, status: "cancelled" as const, finishedAt }],
    ),
  );
  return {
    version: 1,
    runId,
    status: run.status === "CANCELED" ? "cancelled" : "failed",
    startedAt: progress?.startedAt ?? null,
    finishedAt,
    nodes,
    error: engineRunEndMessage(run),
  };
}
