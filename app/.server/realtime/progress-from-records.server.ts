import { isFinishedRunStatus, type NodeProgress, type RunProgress, type RunStatus } from "~workflow/run-progress";
import { previewOf, textLimitFor, truncateText } from "~workflow/progress";
import type { NodeExecutionRecord } from "../engine/run-store.server";

/** The WorkflowRun columns a progress is made from. */
export interface RunRecord {
  id: string;
  status: RunStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export type NodeRecord = Pick<
  NodeExecutionRecord,
  "nodeId" | "nodeType" | "status" | "outputs" | "error" | "startedAt" | "finishedAt" | "durationMs" | "cachedFromExecutionId" | "cachedFromRunId"
>;

/**
 * A run's progress rebuilt from its rows, for runs no engine in this process reports on (finished
 * and forgotten, or left behind by a restart): the same object the engine would have published,
 * with previews and errors cut to the same limits.
 */
export function progressFromRecords(run: RunRecord, nodes: readonly NodeRecord[]): RunProgress {
  const textLimit = textLimitFor(nodes.length);
  const progressNodes: Record<string, NodeProgress> = {};
  for (const node of nodes) {
    progressNodes[node.nodeId] = {
      status: node.status,
      startedAt: node.startedAt?.toISOString() ?? null,
      finishedAt: node.finishedAt?.toISOString() ?? null,
      durationMs: node.durationMs,
      preview: node.status === "success" && node.outputs ? previewOf(node.nodeType, node.outputs, textLimit) : null,
      error: node.error === null ? null : truncateText(node.error, textLimit),
      cached: node.cachedFromExecutionId !== null,
      cachedFromRunId: node.cachedFromRunId,
    };
  }
  const finished = isFinishedRunStatus(run.status);
  return {
    version: 1,
    runId: run.id,
    status: run.status,
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: finished ? (run.finishedAt?.toISOString() ?? null) : null,
    nodes: progressNodes,
    error: run.error === null ? null : truncateText(run.error, textLimit),
  };
}
