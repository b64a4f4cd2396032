import { readsCache, type CachedExecution } from "./cache";
import { RunSpend, type RunBudgetOptions } from "./cost/run-budget";
import type { Graph, GraphNode } from "./graph";
import { nodeName } from "./graph-validation";
import { NodeError } from "./execution";
import { nodeFingerprint } from "./fingerprint";
import type { NodeRecordUpdate, RunHost, RunNodeRequest } from "./host";
import { prepareNodeInputs, resolveInputs } from "./inputs";
import { getNodeDefinition, isNodeType, type NodeType } from "./nodes/registry";
import type { RunPlan } from "./plan";
import { textLimitFor, type TextLimit } from "./progress";
import type { FinishedRunStatus, NodeProgress, NodeStatus, RunProgress } from "./run-progress";
import {
  describeFailure,
  downstreamOf,
  errorMessage,
  finalStatus,
  finishedProgress,
  indexDependencies,
  initialProgress,
  nodesOfPlan,
  progressOfResult,
  recordOf,
  reusedResult,
  skipReason,
  unstartedResult,
  withNodeProgress,
  type NodeResult,
} from "./run-state";
import type { NodeInputs, NodeOutputs } from "./values";

export type { NodeResult } from "./run-state";

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
  host: RunHost;
  /** Most node executions in flight at once. */
  concurrency?: number;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  now?: () => Date;
  /** How long a cancelled execution may take to stop before the run stops waiting for it. */
  cancelGraceMs?: number;
  /** Prices, caps and the run's estimate: paid nodes record their cost, and none starts past a cap. */
  budget?: RunBudgetOptions;
}

/**
 * Executes a planned run by dataflow: a node starts as soon as every node it depends on in this
 * run has succeeded, up to `concurrency` at once, and never waits for unrelated branches. A failed
 * node skips what depends on it while other branches go on. Every transition is recorded and
 * published through the host. Resolves once every node has a final state; it does not throw for
 * node or host failures.
 */
export async function executeRun(options: ExecuteRunOptions): Promise<RunResult> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, not ${concurrency}.`);
  }
  return new RunScheduler({ ...options, concurrency }).run();
}

/** Where a node to execute stands: waiting for its inputs or a slot, executing, or ended. */
type Phase = "queued" | "active" | "done";

/** A node ready to execute: its inputs resolved and checked, its work fingerprinted. */
interface PreparedExecution {
  nodeType: NodeType;
  params: RunNodeRequest["params"];
  inputs: NodeInputs;
  fingerprint: string;
}

/**
 * One run's execution. Steps: `run` records the queue and starts what is ready; `pump` starts
 * ready nodes while slots are free; `execute` prepares, records the start, runs the node and
 * `finish`es it; `finish` settles a node and releases what waits on it (or skips it on failure);
 * `cancel` stops everything. Progress is replaced on every change, never mutated.
 */
class RunScheduler {
  private readonly runId: string;
  private readonly graph: Graph;
  private readonly plan: RunPlan;
  private readonly host: RunHost;
  private readonly concurrency: number;
  private readonly signal: AbortSignal | undefined;
  private readonly now: () => Date;
  private readonly cancelGraceMs: number;
  private readonly spend: RunSpend | undefined;

  private readonly nodesById: Map<string, GraphNode>;
  private readonly executeIds: string[];
  private readonly dependents: ReadonlyMap<string, readonly string[]>;
  private readonly inputsPending: Map<string, number>;
  private readonly textLimit: TextLimit;
  private readonly startedAt: string;

  private readonly phases: Map<string, Phase>;
  // Keyed by node id, so without a prototype: no id can land on an inherited property.
  private readonly results: Record<string, NodeResult> = Object.create(null);
  private readonly outputsByNode: Record<string, NodeOutputs>;
  private readonly ready: string[] = [];
  private readonly controllers = new Map<string, AbortController>();
  private readonly pendingWrites = new Set<Promise<void>>();
  private readonly pendingReports = new Set<Promise<void>>();
  private progress: RunProgress;
  private active = 0;
  private finished = 0;
  private cancelling = false;
  private runError: string | null = null;
  private resolveDone = () => {};

  constructor(options: ExecuteRunOptions & { concurrency: number }) {
    this.runId = options.runId;
    this.graph = options.graph;
    this.host = options.host;
    this.concurrency = options.concurrency;
    this.signal = options.signal;
    this.now = options.now ?? (() => new Date());
    this.cancelGraceMs = options.cancelGraceMs ?? 10_000;
    this.spend = options.budget ? new RunSpend(options.budget) : undefined;

    const { plan } = options;
    this.plan = plan;
    const { executeIds, reusedIds } = nodesOfPlan(plan);
    this.nodesById = new Map(this.graph.nodes.map((node) => [node.id, node]));
    this.executeIds = executeIds;
    const index = indexDependencies(this.graph.edges, executeIds);
    this.dependents = index.dependents;
    this.inputsPending = new Map(index.inputsPending);
    this.textLimit = textLimitFor(executeIds.length + reusedIds.length);
    this.phases = new Map(executeIds.map((id) => [id, "queued"]));
    this.outputsByNode = Object.assign(Object.create(null), plan.upstreamOutputs);
    for (const id of reusedIds) {
      this.results[id] = reusedResult(plan, id);
      this.outputsByNode[id] = plan.reusedNodes[id].outputs;
    }
    this.startedAt = this.now().toISOString();
    this.progress = initialProgress({
      runId: this.runId,
      startedAt: this.startedAt,
      executeIds,
      reused: this.results,
      typeOf: (id) => this.typeOf(id),
      textLimit: this.textLimit,
    });
  }

  async run(): Promise<RunResult> {
    const done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
    this.publish();
    await Promise.all([
      this.persist(() => this.host.recordQueued({ runId: this.runId, nodeIds: this.executeIds }), "the run's queue"),
      ...Object.entries(this.results).map(([id, result]) => this.save(recordOf(this.runId, id, result))),
    ]);

    const cancel = () => this.cancel();
    this.signal?.addEventListener("abort", cancel);
    if (this.signal?.aborted) this.cancel();
    for (const id of this.executeIds) {
      if (this.inputsPending.get(id) === 0 && this.phases.get(id) === "queued") this.ready.push(id);
    }
    this.pump();
    await done;
    this.signal?.removeEventListener("abort", cancel);
    while (this.pendingWrites.size > 0) await Promise.all(this.pendingWrites);
    return this.end();
  }

  /** Starts ready nodes while slots are free; fails what can never start; notices the end. */
  private pump(): void {
    while (!this.cancelling && this.active < this.concurrency && this.ready.length > 0) {
      const id = this.ready.shift();
      if (id !== undefined && this.phases.get(id) === "queued") this.start(id);
    }
    if (!this.cancelling && this.active === 0 && this.ready.length === 0 && this.finished < this.executeIds.length) {
      // Only a loop of connections leaves nodes waiting with nothing running; planRun refuses those.
      for (const id of this.queuedIds()) {
        this.settleUnstarted(id, "failed", `${this.nameOf(id)} could not start: its inputs form a loop.`);
      }
      this.publish();
    }
    if (this.finished === this.executeIds.length && this.active === 0) this.resolveDone();
  }

  private start(id: string): void {
    this.phases.set(id, "active");
    this.active++;
    void this.execute(id).finally(() => {
      this.active--;
      this.pump();
    });
  }

  private async execute(id: string): Promise<void> {
    const started = this.now();
    const startedAt = started.toISOString();
    const ended = () => {
      const finishedAt = this.now();
      return { startedAt, finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - started.getTime() };
    };
    const endAs = (
      outcome: { status: NodeStatus; error: string | null },
      fields: { inputs: NodeInputs | null; outputs?: NodeOutputs; fingerprint?: string; cached?: CachedExecution },
    ) =>
      this.finish(id, {
        ...ended(),
        ...outcome,
        inputs: fields.inputs,
        outputs: fields.outputs ?? null,
        fingerprint: fields.fingerprint ?? null,
        reused: false,
        cachedFrom: fields.cached ? { runId: fields.cached.runId, executionId: fields.cached.executionId } : null,
      });

    let prepared: PreparedExecution;
    try {
      prepared = this.prepare(id);
    } catch (error) {
      const inputs = error instanceof PreparationError ? error.inputs : null;
      await endAs({ status: "failed", error: describeFailure(error instanceof PreparationError ? error.cause : error) }, { inputs });
      return;
    }
    const { inputs, fingerprint } = prepared;
    // The node's inputs are known only now (upstream outputs), so this is where the cache is asked.
    const cached = await this.cachedExecution(id, prepared);
    if (this.cancelling) {
      await endAs({ status: "cancelled", error: null }, { inputs, fingerprint });
      return;
    }
    if (cached) {
      await endAs({ status: "success", error: null }, { inputs, outputs: cached.outputs, fingerprint, cached });
      return;
    }
    // After the cache: a node it serves costs nothing, so no cap can refuse it.
    const refusal = this.spend?.refusal(id) ?? null;
    if (refusal !== null) {
      await endAs({ status: "skipped", error: refusal }, { inputs, fingerprint });
      return;
    }

    this.setNode(id, { status: "running", startedAt, preview: null, error: null });
    this.publish();
    const recorded = await this.save({ runId: this.runId, nodeId: id, status: "running", startedAt, inputs, fingerprint });
    if (!recorded || this.cancelling) {
      const outcome = this.cancelling
        ? { status: "cancelled" as const, error: null }
        : { status: "failed" as const, error: "Unexpected error: the node's start could not be saved." };
      await endAs(outcome, { inputs, fingerprint });
      return;
    }

    const controller = new AbortController();
    this.controllers.set(id, controller);
    try {
      const running = (async () =>
        this.host.runNode({
          runId: this.runId,
          nodeId: id,
          nodeType: prepared.nodeType,
          params: prepared.params,
          inputs,
          signal: controller.signal,
          reportUsage: this.spend ? (usage) => this.spend?.record(id, usage) : undefined,
        }))();
      const outputs = checkOutputs(prepared.nodeType, await settledOrAbandoned(running, controller.signal, this.cancelGraceMs));
      await endAs({ status: "success", error: null }, { inputs, outputs, fingerprint });
    } catch (error) {
      // Once the run is cancelled, any way an execution ends short of success is its cancellation.
      const outcome = this.cancelling
        ? { status: "cancelled" as const, error: null }
        : { status: "failed" as const, error: describeFailure(error) };
      await endAs(outcome, { inputs, fingerprint });
    } finally {
      this.controllers.delete(id);
    }
  }

  /** The cache's outputs for this work when the run lets the node read them; a failed lookup is a miss. */
  private async cachedExecution(id: string, prepared: PreparedExecution): Promise<CachedExecution | null> {
    const node = this.nodesById.get(id);
    if (!node || !readsCache(this.plan, node)) return null;
    try {
      const found = await this.host.findCachedExecution(prepared.fingerprint);
      // Outputs short of what the node promises are no hit.
      return found && { ...found, outputs: checkOutputs(prepared.nodeType, found.outputs) };
    } catch {
      // Executing costs more than a lost lookup, but never fails the node.
      return null;
    }
  }

  /** Resolves and checks a node's inputs; throws a PreparationError with what could be resolved. */
  private prepare(id: string): PreparedExecution {
    let inputs: NodeInputs | null = null;
    try {
      const node = this.nodesById.get(id);
      if (!node) throw new NodeError(`Node "${id}" is not in this run's graph.`);
      const nodeType = node.type;
      if (!isNodeType(nodeType)) throw new NodeError(`${this.nameOf(id)} has the unknown type "${nodeType}".`);
      inputs = resolveInputs(node, this.graph, this.outputsByNode);
      const checked = prepareNodeInputs(node, inputs);
      return {
        nodeType,
        params: checked.params,
        inputs: checked.inputs,
        fingerprint: nodeFingerprint(nodeType, checked.params, checked.inputs),
      };
    } catch (error) {
      throw new PreparationError(error, inputs);
    }
  }

  /** Settles a node that ran (or tried to), skips what depended on a failure, releases what waited on a success. */
  private async finish(id: string, result: NodeResult): Promise<void> {
    this.settle(id, result);
    // A node held back by the budget holds back what depends on it, for the same reason.
    if (result.status === "failed" || result.status === "skipped") {
      const reason = result.status === "skipped" && result.error !== null ? result.error : skipReason(this.nodesById.get(id) ?? { id });
      for (const skipped of downstreamOf(id, this.dependents, (candidate) => this.phases.get(candidate) === "queued")) {
        this.settleUnstarted(skipped, "skipped", reason);
      }
    }
    this.publish();
    const saved = this.save({ ...recordOf(this.runId, id, result), ...this.spend?.spendOf(id) });
    if (result.status === "success") {
      for (const dependent of this.dependents.get(id) ?? []) {
        const remaining = (this.inputsPending.get(dependent) ?? 0) - 1;
        this.inputsPending.set(dependent, remaining);
        if (remaining === 0 && this.phases.get(dependent) === "queued") this.ready.push(dependent);
      }
      // Started before this end is saved: the host applies a run's writes in order, so each
      // dependent's start lands after (or with) this end, and it executes only once its start is
      // saved. A host that batches writes commits this end and those starts together.
      this.pump();
    }
    await saved;
  }

  private cancel(): void {
    if (this.cancelling || this.finished === this.executeIds.length) return;
    this.cancelling = true;
    for (const controller of this.controllers.values()) controller.abort(this.signal?.reason);
    this.ready.length = 0;
    for (const id of this.queuedIds()) this.settleUnstarted(id, "cancelled", null);
    this.publish();
    this.pump();
  }

  /** The run's final state: published (and checked), and returned. */
  private async end(): Promise<RunResult> {
    const status = finalStatus(this.results, this.graph);
    const finishedAt = this.now().toISOString();
    this.progress = finishedProgress(this.progress, { status, finishedAt, error: this.runError }, this.textLimit);
    const finalReport = this.publish();
    await Promise.allSettled([...this.pendingReports]);
    try {
      await finalReport;
    } catch (error) {
      this.runError ??= `Could not publish the run's final progress: ${errorMessage(error)}`;
    }
    return { status, nodes: this.results, startedAt: this.startedAt, finishedAt, error: this.runError };
  }

  /** Gives a node its final state in memory and in progress; the caller saves it. */
  private settle(id: string, result: NodeResult): void {
    this.results[id] = result;
    this.phases.set(id, "done");
    this.finished++;
    if (result.status === "success" && result.outputs) this.outputsByNode[id] = result.outputs;
    this.setNode(id, progressOfResult(result, this.typeOf(id), this.textLimit));
  }

  /** Ends a node that never started, saving it in the background. */
  private settleUnstarted(id: string, status: NodeStatus, error: string | null): void {
    const result = unstartedResult(status, error, this.now().toISOString());
    this.settle(id, result);
    this.track(this.save(recordOf(this.runId, id, result)));
  }

  private setNode(id: string, patch: Partial<NodeProgress>): void {
    this.progress = withNodeProgress(this.progress, id, patch);
  }

  private publish(): Promise<void> {
    const snapshot = this.progress;
    const report = (async () => this.host.reportProgress(snapshot))();
    this.pendingReports.add(report);
    // Each report carries the whole state, so the next one repairs a failed one; the final report is checked.
    void report.catch(() => {}).finally(() => this.pendingReports.delete(report));
    return report;
  }

  /** Records a transition. */
  private save(update: NodeRecordUpdate): Promise<boolean> {
    return this.persist(() => this.host.recordNode(update), `the state of ${this.nameOf(update.nodeId)}`);
  }

  /** One more attempt rides out a brief hiccup; after that the run reports the problem. */
  private async persist(write: () => Promise<void>, what: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return true;
      } catch (error) {
        if (attempt >= 2) {
          this.runError ??= `Could not save ${what}: ${errorMessage(error)}`;
          return false;
        }
      }
    }
  }

  private track(write: Promise<unknown>): void {
    const settled = write.then(() => {});
    this.pendingWrites.add(settled);
    void settled.finally(() => this.pendingWrites.delete(settled));
  }

  private queuedIds(): string[] {
    return this.executeIds.filter((id) => this.phases.get(id) === "queued");
  }

  private typeOf(id: string): string {
    return this.nodesById.get(id)?.type ?? "";
  }

  private nameOf(id: string): string {
    return nodeName(this.nodesById.get(id) ?? { id });
  }
}

/** A node that could not be readied for execution, with the inputs resolved before the problem. */
class PreparationError extends Error {
  constructor(
    readonly cause: unknown,
    readonly inputs: NodeInputs | null,
  ) {
    super(errorMessage(cause));
    this.name = "PreparationError";
  }
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
