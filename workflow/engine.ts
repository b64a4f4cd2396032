import type { Graph, GraphNode } from "../app/lib/graph";
import { nodeName } from "../app/lib/graph-validation";
import { getNodeDefinition, isNodeType, type NodeType } from "../app/lib/nodes/registry";
import type { NodeProgress, NodeStatus, RunProgress, RunStatus } from "../app/lib/run-progress";
import { EXECUTOR_VERSIONS, fingerprint } from "./fingerprint";
import { prepareNodeInputs, resolveInputs } from "./inputs";
import { isSourceNode, type RunPlan } from "./plan";
import type { NodeRecordUpdate, RunNodeRequest, RunPort } from "./port";
import { previewOf, textLimitFor, truncateText } from "./progress";
import { NodeError, type NodeInputs, type NodeOutputs } from "./types";

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
}

export type FinishedRunStatus = Extract<RunStatus, "completed" | "partial" | "failed" | "cancelled">;

export interface RunResult {
  status: FinishedRunStatus;
  /** Every node of the run: the executed ones and the reused ones. */
  nodes: Record<string, NodeResult>;
  startedAt: string;
  finishedAt: string;
  /** A problem outside any node's own work, such as results that could not be saved. */
  error: string | null;
}

export interface ExecuteRunOptions {
  runId: string;
  graph: Graph;
  plan: RunPlan;
  port: RunPort;
  /** Most node executions in flight at once. */
  concurrency?: number;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  now?: () => Date;
  /** How long a cancelled execution may take to stop before the run stops waiting for it. */
  cancelGraceMs?: number;
}

type Phase = "queued" | "active" | "done";

/**
 * Executes a planned run by dataflow: a node starts as soon as every node it depends on in this
 * run has succeeded, up to `concurrency` at once, and never waits for unrelated branches. A failed
 * node skips what depends on it while other branches go on. Every transition is recorded and
 * published through the port. Resolves once every node has a final state; it does not throw for
 * node or port failures.
 */
export async function executeRun({
  runId,
  graph,
  plan,
  port,
  concurrency = 4,
  signal,
  now = () => new Date(),
  cancelGraceMs = 10_000,
}: ExecuteRunOptions): Promise<RunResult> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, not ${concurrency}.`);
  }

  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  const executeIds = [...new Set(plan.executeNodeIds)];
  const executing = new Set(executeIds);
  const reusedIds = Object.keys(plan.reusedNodes).filter((id) => !executing.has(id));
  const textLimit = textLimitFor(executeIds.length + reusedIds.length);

  const dependents = new Map<string, string[]>();
  const waitingOn = new Map<string, number>(executeIds.map((id) => [id, 0]));
  const linked = new Set<string>();
  for (const edge of graph.edges) {
    const key = JSON.stringify([edge.source, edge.target]);
    if (!executing.has(edge.source) || !executing.has(edge.target) || linked.has(key)) continue;
    linked.add(key);
    const list = dependents.get(edge.source) ?? [];
    list.push(edge.target);
    dependents.set(edge.source, list);
    waitingOn.set(edge.target, (waitingOn.get(edge.target) ?? 0) + 1);
  }

  // Keyed by node id, so without a prototype: no id can land on an inherited property.
  const outputsByNode: Record<string, NodeOutputs> = Object.assign(Object.create(null), plan.upstreamOutputs);
  const results: Record<string, NodeResult> = Object.create(null);
  const phases = new Map<string, Phase>(executeIds.map((id) => [id, "queued"]));
  const ready: string[] = [];
  const controllers = new Map<string, AbortController>();
  const pendingWrites = new Set<Promise<void>>();
  const pendingReports = new Set<Promise<void>>();
  let active = 0;
  let finished = 0;
  let cancelling = false;
  let runError: string | null = null;
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const runStartedAt = now().toISOString();
  const initialNodes: Record<string, NodeProgress> = Object.create(null);
  for (const id of executeIds) initialNodes[id] = nodeProgress({ status: "queued" });
  for (const id of reusedIds) {
    const reused = plan.reusedNodes[id];
    const result: NodeResult = { status: "success", error: null, reused: true, ...reused };
    results[id] = result;
    outputsByNode[id] = reused.outputs;
    initialNodes[id] = nodeProgress({
      status: "success",
      startedAt: reused.startedAt,
      finishedAt: reused.finishedAt,
      durationMs: reused.durationMs,
      preview: previewOf(nodesById.get(id)?.type ?? "", reused.outputs, textLimit),
    });
  }
  // Replaced, never mutated: each report hands the port an object that stays as it was sent.
  let progress: RunProgress = {
    version: 1,
    runId,
    status: "running",
    startedAt: runStartedAt,
    finishedAt: null,
    nodes: initialNodes,
    error: null,
  };

  function setNode(id: string, patch: Partial<NodeProgress>): void {
    progress = { ...progress, nodes: { ...progress.nodes, [id]: { ...progress.nodes[id], ...patch } } };
  }

  function publish(): Promise<void> {
    const snapshot = progress;
    const report = (async () => port.reportProgress(snapshot))();
    pendingReports.add(report);
    // Each report carries the whole state, so the next one repairs a failed one; the final report is checked.
    void report.catch(() => {}).finally(() => pendingReports.delete(report));
    return report;
  }

  async function save(update: NodeRecordUpdate): Promise<boolean> {
    // One more attempt rides out a brief hiccup; after that the run reports the problem.
    for (let attempt = 1; ; attempt++) {
      try {
        await port.recordNode(update);
        return true;
      } catch (error) {
        if (attempt >= 2) {
          runError ??= `Could not save the state of ${nameOf(update.nodeId)}: ${errorMessage(error)}`;
          return false;
        }
      }
    }
  }

  function track(write: Promise<unknown>): void {
    const settled = write.then(() => {});
    pendingWrites.add(settled);
    void settled.finally(() => pendingWrites.delete(settled));
  }

  function nameOf(id: string): string {
    return nodeName(nodesById.get(id) ?? { id });
  }

  /** Gives a node its final state in memory and in progress; the caller saves it. */
  function settle(id: string, result: NodeResult): void {
    results[id] = result;
    phases.set(id, "done");
    finished++;
    if (result.status === "success" && result.outputs) outputsByNode[id] = result.outputs;
    setNode(id, {
      status: result.status,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      durationMs: result.durationMs,
      preview:
        result.status === "success" && result.outputs
          ? previewOf(nodesById.get(id)?.type ?? "", result.outputs, textLimit)
          : null,
      error: result.error === null ? null : truncateText(result.error, textLimit),
    });
  }

  /** Ends a node that never started (skipped, cancelled, unreachable). */
  function settleUnstarted(id: string, status: NodeStatus, error: string | null): void {
    const result: NodeResult = {
      status,
      inputs: null,
      outputs: null,
      startedAt: null,
      finishedAt: now().toISOString(),
      durationMs: null,
      error,
      fingerprint: null,
      reused: false,
    };
    settle(id, result);
    track(save(recordOf(runId, id, result)));
  }

  function skipDependentsOf(failedId: string): void {
    const reason = `Skipped because ${nameOf(failedId)} failed.`;
    const pending = [...(dependents.get(failedId) ?? [])];
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      if (phases.get(id) !== "queued") continue;
      settleUnstarted(id, "skipped", reason);
      pending.push(...(dependents.get(id) ?? []));
    }
  }

  async function finish(id: string, result: NodeResult): Promise<void> {
    settle(id, result);
    if (result.status === "failed") skipDependentsOf(id);
    publish();
    await save(recordOf(runId, id, result));
    if (result.status !== "success") return;
    for (const dependent of dependents.get(id) ?? []) {
      const remaining = (waitingOn.get(dependent) ?? 0) - 1;
      waitingOn.set(dependent, remaining);
      if (remaining === 0 && phases.get(dependent) === "queued") ready.push(dependent);
    }
  }

  async function execute(id: string): Promise<void> {
    const started = now();
    const startedAt = started.toISOString();
    const partial = { outputs: null, startedAt, fingerprint: null, reused: false } as const;
    const ended = () => {
      const finishedDate = now();
      return { finishedAt: finishedDate.toISOString(), durationMs: finishedDate.getTime() - started.getTime() };
    };

    let inputs: NodeInputs | null = null;
    let prepared: { nodeType: NodeType; params: RunNodeRequest["params"]; hash: string };
    try {
      const node = nodesById.get(id);
      if (!node) throw new NodeError(`Node "${id}" is not in this run's graph.`);
      const nodeType = node.type;
      if (!isNodeType(nodeType)) throw new NodeError(`${nameOf(id)} has the unknown type "${nodeType}".`);
      inputs = resolveInputs(node, graph, outputsByNode);
      const checked = prepareNodeInputs(node, inputs);
      inputs = checked.inputs;
      const hash = fingerprint(nodeType, EXECUTOR_VERSIONS[nodeType], checked.params, inputs);
      prepared = { nodeType, params: checked.params, hash };
    } catch (error) {
      await finish(id, { ...partial, ...ended(), status: "failed", inputs, error: describeFailure(error) });
      return;
    }
    const { nodeType, params, hash } = prepared;
    const usedInputs = inputs;

    setNode(id, { status: "running", startedAt, preview: null, error: null });
    publish();
    const recorded = await save({ runId, nodeId: id, status: "running", startedAt, inputs: usedInputs, fingerprint: hash });
    if (!recorded || cancelling) {
      const outcome = cancelling
        ? { status: "cancelled" as const, error: null }
        : { status: "failed" as const, error: "Unexpected error: the node's start could not be saved." };
      await finish(id, { ...partial, ...ended(), ...outcome, inputs: usedInputs, fingerprint: hash });
      return;
    }

    const controller = new AbortController();
    controllers.set(id, controller);
    try {
      const running = (async () =>
        port.runNode({
          runId,
          nodeId: id,
          nodeType,
          params,
          inputs: usedInputs,
          signal: controller.signal,
        }))();
      const outputs = checkOutputs(nodeType, await settledOrAbandoned(running, controller.signal, cancelGraceMs));
      await finish(id, { ...partial, ...ended(), status: "success", inputs: usedInputs, outputs, error: null, fingerprint: hash });
    } catch (error) {
      // Once the run is cancelled, any way an execution ends short of success is its cancellation.
      const outcome = cancelling
        ? { status: "cancelled" as const, error: null }
        : { status: "failed" as const, error: describeFailure(error) };
      await finish(id, { ...partial, ...ended(), ...outcome, inputs: usedInputs, fingerprint: hash });
    } finally {
      controllers.delete(id);
    }
  }

  function start(id: string): void {
    phases.set(id, "active");
    active++;
    void execute(id).finally(() => {
      active--;
      pump();
    });
  }

  function pump(): void {
    while (!cancelling && active < concurrency && ready.length > 0) {
      const id = ready.shift();
      if (id !== undefined && phases.get(id) === "queued") start(id);
    }
    if (!cancelling && active === 0 && ready.length === 0 && finished < executeIds.length) {
      // Only a loop of connections leaves nodes waiting with nothing running; planRun refuses those.
      for (const id of executeIds) {
        if (phases.get(id) === "queued") settleUnstarted(id, "failed", `${nameOf(id)} could not start: its inputs form a loop.`);
      }
      publish();
    }
    if (finished === executeIds.length && active === 0) resolveDone();
  }

  function cancel(): void {
    if (cancelling || finished === executeIds.length) return;
    cancelling = true;
    for (const controller of controllers.values()) controller.abort(signal?.reason);
    ready.length = 0;
    for (const id of executeIds) {
      if (phases.get(id) === "queued") settleUnstarted(id, "cancelled", null);
    }
    publish();
    pump();
  }

  publish();
  await Promise.all([
    ...executeIds.map((id) => save({ runId, nodeId: id, status: "queued" })),
    ...reusedIds.map((id) => save(recordOf(runId, id, results[id]))),
  ]);

  signal?.addEventListener("abort", cancel);
  if (signal?.aborted) cancel();
  for (const id of executeIds) {
    if (waitingOn.get(id) === 0 && phases.get(id) === "queued") ready.push(id);
  }
  pump();
  await done;
  signal?.removeEventListener("abort", cancel);
  while (pendingWrites.size > 0) await Promise.all(pendingWrites);

  const status = finalStatus(results, nodesById);
  const finishedAt = now().toISOString();
  progress = { ...progress, status, finishedAt, error: runError === null ? null : truncateText(runError, textLimit) };
  const finalReport = publish();
  await Promise.allSettled([...pendingReports]);
  try {
    await finalReport;
  } catch (error) {
    runError ??= `Could not publish the run's final progress: ${errorMessage(error)}`;
  }
  return { status, nodes: results, startedAt: runStartedAt, finishedAt, error: runError };
}

/**
 * completed: every node succeeded. failed: nothing succeeded, where source nodes (which only pass
 * on a typed value or an upload) count only in a run that has nothing else. partial: the rest.
 */
function finalStatus(results: Record<string, NodeResult>, nodesById: Map<string, GraphNode>): FinishedRunStatus {
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

function nodeProgress(fields: Partial<NodeProgress> & Pick<NodeProgress, "status">): NodeProgress {
  return { startedAt: null, finishedAt: null, durationMs: null, preview: null, error: null, ...fields };
}

function recordOf(runId: string, nodeId: string, result: NodeResult): NodeRecordUpdate {
  const update: NodeRecordUpdate = { runId, nodeId, status: result.status };
  if (result.inputs !== null) update.inputs = result.inputs;
  if (result.outputs !== null) update.outputs = result.outputs;
  if (result.error !== null) update.error = result.error;
  if (result.startedAt !== null) update.startedAt = result.startedAt;
  if (result.finishedAt !== null) update.finishedAt = result.finishedAt;
  if (result.durationMs !== null) update.durationMs = result.durationMs;
  if (result.fingerprint !== null) update.fingerprint = result.fingerprint;
  return update;
}

/** Outputs as the node's definition promises them; anything less is a defect of the execution. */
function checkOutputs(nodeType: string, outputs: unknown): NodeOutputs {
  if (typeof outputs !== "object" || outputs === null) throw new Error("the execution returned no outputs");
  const checked = outputs as NodeOutputs;
  for (const port of getNodeDefinition(nodeType)?.outputs ?? []) {
    if (checked[port.id] === undefined) throw new Error(`the execution returned no value for the "${port.id}" output`);
  }
  return checked;
}

/**
 * Waits for an execution; once its signal is aborted, waits at most `graceMs` more, so one that
 * ignores cancellation cannot hold the run open.
 */
function settledOrAbandoned<T>(execution: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = () => {
      timer = setTimeout(() => reject(new Error(`the execution did not stop within ${graceMs} ms of cancellation`)), graceMs);
    };
    if (signal.aborted) giveUp();
    else signal.addEventListener("abort", giveUp, { once: true });
    const cleanUp = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", giveUp);
    };
    execution.then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}

/** NodeErrors are written for people; anything else is a defect or an outage, labelled as such. */
function describeFailure(error: unknown): string {
  // By name too: a NodeError that crossed a task boundary arrives as a plain Error.
  if (error instanceof NodeError || (error instanceof Error && error.name === "NodeError")) return error.message;
  return `Unexpected error: ${errorMessage(error)}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
