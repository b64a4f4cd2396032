import type { CacheSource } from "./cache";
import type { Graph, GraphEdge, GraphNode } from "./graph";
import { nodeName } from "./graph-validation";
import type { NodeRecordUpdate } from "./host";
import { isSourceNode } from "./nodes/registry";
import { NodeError } from "./execution";
import type { RunPlan } from "./plan";
import { previewOf, truncateText, type TextLimit } from "./progress";
import type { FinishedRunStatus, NodeProgress, NodeStatus, RunProgress } from "./run-progress";
import type { NodeInputs, NodeOutputs } from "./values";

// The pure parts of executing a run: what waits on what, the progress object and its
// transitions, and the run's final status. The scheduler (scheduler.ts) owns the timing; this
// file owns the values, so each rule here can be tested without running anything.

/** How a node of a run ended, or was carried over from an earlier run. */
export interface NodeResult {
  status: NodeStatus;
  /** The inputs the execution used (after number conversion), when they could be resolved. */
  inputs: NodeInputs | null;
  outputs: NodeOutputs | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  fingerprint: string | null;
  /** A success kept from an earlier run (retry, resume) rather than executed in this one. */
  reused: boolean;
  /** A success whose outputs came from the cache: the execution that made them. */
  cachedFrom: CacheSource | null;
}

/** Which executed nodes wait on which, counting every source–target pair once however many edges join them. */
export interface DependencyIndex {
  /** For each node, the executed nodes fed by it. */
  dependents: ReadonlyMap<string, readonly string[]>;
  /** For each executed node, how many executed nodes feed it. */
  inputsPending: ReadonlyMap<string, number>;
}

/** The dependencies among the nodes a run executes; nodes outside it (reused, upstream) feed nothing to wait for. */
export function indexDependencies(edges: readonly GraphEdge[], executeIds: readonly string[]): DependencyIndex {
  const executing = new Set(executeIds);
  const dependents = new Map<string, string[]>();
  const inputsPending = new Map<string, number>(executeIds.map((id) => [id, 0]));
  const linked = new Set<string>();
  for (const edge of edges) {
    const key = JSON.stringify([edge.source, edge.target]);
    if (!executing.has(edge.source) || !executing.has(edge.target) || linked.has(key)) continue;
    linked.add(key);
    const list = dependents.get(edge.source) ?? [];
    list.push(edge.target);
    dependents.set(edge.source, list);
    inputsPending.set(edge.target, (inputsPending.get(edge.target) ?? 0) + 1);
  }
  return { dependents, inputsPending };
}

/**
 * Every node downstream of `startId`, depth first, through nodes `canReach` admits: the nodes a
 * failure skips (only those still waiting, and what waits on them).
 */
export function downstreamOf(
  startId: string,
  dependents: DependencyIndex["dependents"],
  canReach: (id: string) => boolean,
): string[] {
  const reached: string[] = [];
  const seen = new Set<string>();
  const pending = [...(dependents.get(startId) ?? [])];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (seen.has(id) || !canReach(id)) continue;
    seen.add(id);
    reached.push(id);
    pending.push(...(dependents.get(id) ?? []));
  }
  return reached;
}

/** The executed and the reused nodes of a plan, each once. */
export function nodesOfPlan(plan: RunPlan): { executeIds: string[]; reusedIds: string[] } {
  const executeIds = [...new Set(plan.executeNodeIds)];
  const executing = new Set(executeIds);
  return { executeIds, reusedIds: Object.keys(plan.reusedNodes).filter((id) => !executing.has(id)) };
}

/** A reused node's result, as the earlier run left it. */
export function reusedResult(plan: RunPlan, id: string): NodeResult {
  const { cachedFrom = null, ...reused } = plan.reusedNodes[id];
  return { status: "success", error: null, reused: true, cachedFrom, ...reused };
}

/** A run's progress before anything executed: executed nodes queued, reused nodes as they ended. */
export function initialProgress({
  runId,
  startedAt,
  executeIds,
  reused,
  typeOf,
  textLimit,
}: {
  runId: string;
  startedAt: string;
  executeIds: readonly string[];
  reused: Readonly<Record<string, NodeResult>>;
  typeOf: (id: string) => string;
  textLimit: TextLimit;
}): RunProgress {
  // Keyed by node id, so without a prototype: no id can land on an inherited property.
  const nodes: Record<string, NodeProgress> = Object.create(null);
  for (const id of executeIds) nodes[id] = nodeProgress({ status: "queued" });
  for (const [id, result] of Object.entries(reused)) nodes[id] = progressOfResult(result, typeOf(id), textLimit);
  return { version: 1, runId, status: "running", startedAt, finishedAt: null, nodes, error: null };
}

/** The progress with one node's entry changed; a new object, the old one stays as it was sent. */
export function withNodeProgress(progress: RunProgress, id: string, patch: Partial<NodeProgress>): RunProgress {
  return { ...progress, nodes: { ...progress.nodes, [id]: { ...progress.nodes[id], ...patch } } };
}

/** What the progress shows of a node that has ended: its times, an output preview or its error. */
export function progressOfResult(result: NodeResult, nodeType: string, textLimit: TextLimit): NodeProgress {
  return {
    status: result.status,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    durationMs: result.durationMs,
    preview: result.status === "success" && result.outputs ? previewOf(nodeType, result.outputs, textLimit) : null,
    error: result.error === null ? null : truncateText(result.error, textLimit),
    cached: result.cachedFrom !== null,
    cachedFromRunId: result.cachedFrom?.runId ?? null,
  };
}

/** The progress once the run has ended. */
export function finishedProgress(
  progress: RunProgress,
  { status, finishedAt, error }: { status: FinishedRunStatus; finishedAt: string; error: string | null },
  textLimit: TextLimit,
): RunProgress {
  return { ...progress, status, finishedAt, error: error === null ? null : truncateText(error, textLimit) };
}

/** The result of a node that never started (skipped, cancelled, unreachable). */
export function unstartedResult(status: NodeStatus, error: string | null, finishedAt: string): NodeResult {
  return { status, inputs: null, outputs: null, startedAt: null, finishedAt, durationMs: null, error, fingerprint: null, reused: false, cachedFrom: null };
}

/** Why a node is skipped when one it depends on failed. */
export function skipReason(failed: GraphNode | { id: string }): string {
  return `Skipped because ${nodeName(failed)} failed.`;
}

/**
 * completed: every node succeeded (a node served from the cache counts as a success). failed: nothing succeeded, where source nodes (which only pass
 * on a typed value or an upload) count only in a run that has nothing else. partial: the rest.
 * cancelled: any node was cancelled.
 */
export function finalStatus(results: Readonly<Record<string, NodeResult>>, graph: Pick<Graph, "nodes">): FinishedRunStatus {
  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  const entries = Object.entries(results);
  if (entries.some(([, result]) => result.status === "cancelled")) return "cancelled";
  if (entries.every(([, result]) => result.status === "success")) return "completed";
  const isCompute = ([id]: [string, NodeResult]) => {
    const node = nodesById.get(id);
    return node !== undefined && !isSourceNode(node);
  };
  const counted = entries.some(isCompute) ? entries.filter(isCompute) : entries;
  return counted.some(([, result]) => result.status === "success") ? "partial" : "failed";
}

/** The NodeExecution write for a result: every field the result has, none it lacks. */
export function recordOf(runId: string, nodeId: string, result: NodeResult): NodeRecordUpdate {
  const update: NodeRecordUpdate = { runId, nodeId, status: result.status };
  if (result.inputs !== null) update.inputs = result.inputs;
  if (result.outputs !== null) update.outputs = result.outputs;
  if (result.error !== null) update.error = result.error;
  if (result.startedAt !== null) update.startedAt = result.startedAt;
  if (result.finishedAt !== null) update.finishedAt = result.finishedAt;
  if (result.durationMs !== null) update.durationMs = result.durationMs;
  if (result.fingerprint !== null) update.fingerprint = result.fingerprint;
  if (result.cachedFrom !== null) {
    update.cachedFromExecutionId = result.cachedFrom.executionId;
    update.cachedFromRunId = result.cachedFrom.runId;
  }
  return update;
}

/** NodeErrors are written for people; anything else is a defect or an outage, labelled as such. */
export function describeFailure(error: unknown): string {
  // By name too: a NodeError that crossed a task boundary arrives as a plain Error.
  if (error instanceof NodeError || (error instanceof Error && error.name === "NodeError")) return error.message;
  return `Unexpected error: ${errorMessage(error)}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function nodeProgress(fields: Partial<NodeProgress> & Pick<NodeProgress, "status">): NodeProgress {
  return { startedAt: null, finishedAt: null, durationMs: null, preview: null, error: null, cached: false, cachedFromRunId: null, ...fields };
}
