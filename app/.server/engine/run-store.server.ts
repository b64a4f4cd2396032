import { db } from "~/.server/db.server";
import type { NodeExecution } from "~/lib/runs/run-schemas";
import { Prisma, type RunEngine, type RunStatus } from "~/.server/generated/prisma/client";
import { GraphSchema, type Graph } from "~workflow/graph";
import { isFinishedRunStatus, UNFINISHED_RUN_STATUSES, type RunProgress } from "~workflow/run-progress";
import { retryPlan, type PlanResult, type PreviousNodeResult, type ReusedNode, type RunPlan } from "~workflow/plan";
import type { NodeRecordUpdate, RunHost } from "~workflow/host";
import type { NodeCheckpoint } from "~workflow/execution";
import type { NodeInputs, NodeOutputs } from "~workflow/values";
import type { CachedExecution, CacheSource } from "~workflow/cache";
import type { Usage } from "~workflow/cost/usage";
import type { PlanEstimate } from "~workflow/cost/estimate";

// The database side of a run, shared by both modes: the embedded engine and the Trigger.dev
// orchestrator task record node transitions and run status through the same functions, and plan
// from the same rows. Publishing progress to watchers is each mode's own business.

/** Thrown when a run's rows are gone (its workflow was deleted): there is nothing left to execute it for. */
export class RunNotFoundError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} no longer exists.`);
    this.name = "RunNotFoundError";
  }
}

/** A run's persistence as the workflow core's port sees it. */
export type RunStore = Pick<RunHost, "recordNode" | "recordQueued" | "reportProgress">;

/**
 * Records one run's node transitions in its NodeExecution rows, and the run's own transitions
 * (running, then its final status) in its WorkflowRun row. Progress reports arrive after every
 * transition; only those that change the run's status are written.
 *
 * Node transitions are applied in the order they are recorded, and those recorded while the
 * previous write is on its way (or in the same turn of the event loop) go together in one
 * statement, one commit: a node's end and the starts it releases, or the ends of parallel
 * branches. Each caller's promise settles when its own transition is committed.
 */
export function createRunStore(runId: string): RunStore {
  let written: RunStatus | null = null;
  // Run-level writes go one at a time, so "running" can never land after the final status.
  let queue: Promise<void> = Promise.resolve();
  const nodeWrites = createNodeWriteQueue(runId);

  const checkRun = (id: string) => {
    if (id !== runId) throw new Error(`This store records run ${runId}, not ${id}.`);
  };

  return {
    recordNode(update) {
      checkRun(update.runId);
      return nodeWrites.push({ nodeIds: [update.nodeId], assignments: nodeAssignments(update), costUsd: update.costUsd ?? 0 });
    },

    recordQueued({ runId: queueRunId, nodeIds }) {
      checkRun(queueRunId);
      if (nodeIds.length === 0) return Promise.resolve();
      // One write for the whole queue: a run of 500 nodes starts with one statement, not 500.
      return nodeWrites.push({ nodeIds, assignments: nodeAssignments({ status: "queued" }), costUsd: 0 });
    },

    reportProgress(progress) {
      if (progress.status === written) return Promise.resolve();
      const write = queue.then(async () => {
        if (progress.status === written) return;
        await writeRunStatus(runId, progress);
        written = progress.status;
      });
      // A failed write is reported to this caller; the next report tries again.
      queue = write.catch(() => {});
      return write;
    },
  };
}

/** One write to NodeExecution rows: the same assignments for each of `nodeIds`. */
interface NodeWrite {
  nodeIds: readonly string[];
  assignments: Prisma.Sql[];
  /** Added to the run's total cost in the same commit. */
  costUsd: number;
}

/**
 * A run's node writes, applied in order, batched: what is pushed while a statement is on its way
 * (or in the same turn of the event loop) goes out together in the next one.
 */
function createNodeWriteQueue(runId: string) {
  const waiting: { write: NodeWrite; settle: (error?: unknown) => void }[] = [];
  let busy = false;

  function schedule(): void {
    if (busy || waiting.length === 0) return;
    busy = true;
    // After this turn's microtasks: a node's end and the starts it releases arrive a few apart.
    setImmediate(() => void flush());
  }

  async function flush(): Promise<void> {
    const batch = takeBatch(waiting);
    try {
      const counts = await writeNodes(runId, batch.map((entry) => entry.write));
      batch.forEach((entry, index) => entry.settle(counts[index] === 0 ? new RunNotFoundError(runId) : undefined));
    } catch (error) {
      for (const entry of batch) entry.settle(error);
    } finally {
      busy = false;
      schedule();
    }
  }

  return {
    push(write: NodeWrite): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ write, settle: (error) => (error === undefined ? resolve() : reject(error)) });
        schedule();
      });
    },
  };
}

/** Most writes in one statement: a cancelled run of thousands of nodes stays far below PostgreSQL's 65,535 parameters. */
const MAX_WRITES_PER_STATEMENT = 200;

/**
 * The waiting writes that go in the next statement: in order, up to one that touches a node an
 * earlier one in the batch touches (one statement may change a row only once).
 */
function takeBatch<T extends { write: NodeWrite }>(waiting: T[]): T[] {
  const touched = new Set<string>();
  let size = 0;
  for (const { write } of waiting) {
    if (size === MAX_WRITES_PER_STATEMENT || write.nodeIds.some((nodeId) => touched.has(nodeId))) break;
    for (const nodeId of write.nodeIds) touched.add(nodeId);
    size++;
  }
  return waiting.splice(0, Math.max(size, 1));
}

/**
 * Applies node writes in one statement (one commit), each an UPDATE of its own in a data-modifying
 * WITH, and returns how many rows each changed. Committed without waiting for the disk
 * (synchronous_commit off, this transaction only): a node transition costs well under a
 * millisecond instead of a WAL flush. Commits stay in order and visible at once; only a crash of
 * PostgreSQL itself (not of the app) can lose the last fraction of a second of them, and resuming
 * the run re-executes those nodes.
 */
async function writeNodes(runId: string, writes: readonly NodeWrite[]): Promise<number[]> {
  const updates = writes.map(
    (write, index) => Prisma.sql`${Prisma.raw(`w${index}`)} AS (
      UPDATE "NodeExecution" SET ${Prisma.join(write.assignments)}
      FROM settings
      WHERE "runId" = ${runId} AND "nodeId" = ANY(${[...write.nodeIds]}::text[])
      RETURNING 1)`,
  );
  // The run's total grows with each paid node, in the same commit, so history reads one column
  // instead of summing rows.
  const costUsd = writes.reduce((sum, write) => sum + write.costUsd, 0);
  if (costUsd) updates.push(Prisma.sql`cost AS (UPDATE "WorkflowRun" SET "costUsd" = "costUsd" + ${costUsd} WHERE "id" = ${runId})`);
  const counts = writes.map((_, index) => Prisma.sql`(SELECT count(*) FROM ${Prisma.raw(`w${index}`)})::int AS ${Prisma.raw(`c${index}`)}`);
  const [row] = await db.$queryRaw<Record<string, number>[]>`
    WITH settings AS (SELECT set_config('synchronous_commit', 'off', true)), ${Prisma.join(updates)}
    SELECT ${Prisma.join(counts)}`;
  return writes.map((_, index) => row?.[`c${index}`] ?? 0);
}

/**
 * A node execution's checkpoint in its NodeExecution row, shared by both modes. Saved with a full
 * (synchronous) commit, unlike node transitions: it is written once, before long-running work
 * is polled, and losing it would mean paying for that work twice. Entering `queued` or `running`
 * again (a resumed run) leaves it, which is the point.
 */
export function nodeCheckpoint(runId: string, nodeId: string): NodeCheckpoint {
  return {
    async load() {
      const row = await db.nodeExecution.findUnique({ where: { runId_nodeId: { runId, nodeId } }, select: { checkpoint: true } });
      return row?.checkpoint ?? undefined;
    },
    async save(state) {
      const { count } = await db.nodeExecution.updateMany({ where: { runId, nodeId }, data: { checkpoint: toJson(state) } });
      if (count === 0) throw new RunNotFoundError(runId);
    },
  };
}

/**
 * The SET list for a node transition. Entering `queued` or `running` starts a new attempt (a
 * resumed run re-executes nodes that had already started), so what an earlier attempt left
 * behind is cleared rather than shown beside the new state; otherwise fields left out stay.
 */
function nodeAssignments(update: Omit<NodeRecordUpdate, "runId" | "nodeId">): Prisma.Sql[] {
  const cleared =
    update.status === "queued"
      ? ["inputs", "outputs", "error", "startedAt", "finishedAt", "durationMs", "fingerprint", "cachedFromExecutionId", "cachedFromRunId", "usage", "costUsd"]
      : update.status === "running"
        ? ["outputs", "error", "finishedAt", "durationMs", "cachedFromExecutionId", "cachedFromRunId", "usage", "costUsd"]
        : [];
  const values: Record<string, Prisma.Sql | undefined> = {
    inputs: update.inputs === undefined ? undefined : Prisma.sql`${JSON.stringify(update.inputs)}::jsonb`,
    outputs: update.outputs === undefined ? undefined : Prisma.sql`${JSON.stringify(update.outputs)}::jsonb`,
    error: update.error === undefined ? undefined : Prisma.sql`${update.error}`,
    startedAt: update.startedAt === undefined ? undefined : Prisma.sql`${update.startedAt}::timestamp(3)`,
    finishedAt: update.finishedAt === undefined ? undefined : Prisma.sql`${update.finishedAt}::timestamp(3)`,
    durationMs: update.durationMs === undefined ? undefined : Prisma.sql`${Math.round(update.durationMs)}::integer`,
    fingerprint: update.fingerprint === undefined ? undefined : Prisma.sql`${update.fingerprint}`,
    cachedFromExecutionId: update.cachedFromExecutionId === undefined ? undefined : Prisma.sql`${update.cachedFromExecutionId}`,
    cachedFromRunId: update.cachedFromRunId === undefined ? undefined : Prisma.sql`${update.cachedFromRunId}`,
    usage: update.usage === undefined ? undefined : Prisma.sql`${JSON.stringify(update.usage)}::jsonb`,
    costUsd: update.costUsd === undefined ? undefined : Prisma.sql`${update.costUsd}::double precision`,
  };
  const assignments = [Prisma.sql`"status" = ${update.status}::"NodeStatus"`];
  for (const [column, value] of Object.entries(values)) {
    // Column names come from the literal keys above, never from input.
    if (value !== undefined) assignments.push(Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}`);
    else if (cleared.includes(column)) assignments.push(Prisma.sql`${Prisma.raw(`"${column}"`)} = NULL`);
  }
  return assignments;
}

async function writeRunStatus(runId: string, progress: RunProgress): Promise<void> {
  const finished = isFinishedRunStatus(progress.status);
  // A resumed run keeps the time it first started.
  await db.$executeRaw`
    UPDATE "WorkflowRun"
    SET "status" = ${progress.status}::"RunStatus",
        "startedAt" = COALESCE("startedAt", ${progress.startedAt}::timestamp(3)),
        "finishedAt" = ${finished ? (progress.finishedAt ?? new Date().toISOString()) : null}::timestamp(3),
        "error" = ${finished ? progress.error : null}
    WHERE "id" = ${runId} AND "status"::text IN (${Prisma.join(UNFINISHED_RUN_STATUSES)})`;
}

/** A NodeExecution row as planning, the engines and the run API read it: the API's own shape. */
export type NodeExecutionRecord = NodeExecution;

/** Everything an engine needs to execute (or resume) a run. */
export interface RunForExecution {
  id: string;
  ownerId: string;
  workflowId: string;
  status: RunStatus;
  engine: RunEngine;
  engineRunId: string | null;
  graph: Graph;
  /** The plan made when the run was requested; null only for runs older than stored plans. */
  plan: RunPlan | null;
  /** The estimate the run was accepted on; null for runs older than estimates. */
  estimate: PlanEstimate | null;
  /** What the run has paid for so far (more than 0 when it resumes). */
  costUsd: number;
  nodes: NodeExecutionRecord[];
}

export const NODE_EXECUTION_FIELDS = {
  nodeId: true,
  nodeType: true,
  status: true,
  inputs: true,
  outputs: true,
  error: true,
  fingerprint: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  cachedFromExecutionId: true,
  cachedFromRunId: true,
  usage: true,
  costUsd: true,
} as const;

type NodeExecutionRow = Prisma.NodeExecutionGetPayload<{ select: typeof NODE_EXECUTION_FIELDS }>;

export function toNodeExecutionRecord(row: NodeExecutionRow): NodeExecutionRecord {
  // Only this module writes these columns, from NodeInputs, NodeOutputs and Usage[].
  return { ...row, inputs: row.inputs as NodeInputs | null, outputs: row.outputs as NodeOutputs | null, usage: row.usage as Usage[] | null };
}

const RUN_FOR_EXECUTION_FIELDS = {
  id: true,
  ownerId: true,
  workflowId: true,
  status: true,
  engine: true,
  engineRunId: true,
  graphSnapshot: true,
  plan: true,
  estimate: true,
  costUsd: true,
  nodeExecutions: { select: NODE_EXECUTION_FIELDS },
} as const;

type RunForExecutionRow = Prisma.WorkflowRunGetPayload<{ select: typeof RUN_FOR_EXECUTION_FIELDS }>;

export async function loadRunForExecution(runId: string): Promise<RunForExecution | null> {
  const row = await db.workflowRun.findUnique({ where: { id: runId }, select: RUN_FOR_EXECUTION_FIELDS });
  return row ? toRunForExecution(row) : null;
}

/** Runs an engine of this kind left queued or running, oldest first: after a crash, nobody is executing them. */
export async function findInterruptedRuns(engine: RunEngine, filter: { ownerIds?: readonly string[] } = {}) {
  const rows = await db.workflowRun.findMany({
    where: {
      engine,
      status: { in: ["queued", "running"] },
      ...(filter.ownerIds ? { ownerId: { in: [...filter.ownerIds] } } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: RUN_FOR_EXECUTION_FIELDS,
  });
  return rows.map(toRunForExecution);
}

function toRunForExecution({ graphSnapshot, plan, estimate, nodeExecutions, ...run }: RunForExecutionRow): RunForExecution {
  return {
    ...run,
    // Snapshots are taken from validated workflows.
    graph: GraphSchema.parse(graphSnapshot),
    // Written only by createRun, from a RunPlan.
    plan: plan as RunPlan | null,
    // Written only by createRun and retryRun, from a PlanEstimate.
    estimate: estimate as PlanEstimate | null,
    nodes: nodeExecutions.map(toNodeExecutionRecord),
  };
}

/**
 * What executing a run means now, from its rows: nodes that succeeded keep their results and the
 * rest are executed. For a run that has not started this is the plan it was created with; for a
 * run interrupted by a crash it resumes it (retry semantics on the same run).
 */
export function planExecution(run: RunForExecution): PlanResult {
  const planned = planRetryOf(run);
  if (planned.ok || planned.problems.some((problem) => problem.code !== "nothing_to_retry")) return planned;
  // Every node succeeded before the run could be marked finished: executing nothing finishes it.
  const reusedNodes: Record<string, ReusedNode> = {};
  for (const node of run.nodes) reusedNodes[node.nodeId] = reusedNode(node);
  return { ok: true, plan: { executeNodeIds: [], reusedNodes, upstreamOutputs: run.plan?.upstreamOutputs ?? {} } };
}

/**
 * Plans running again, on a run's own graph, what did not succeed in it: its successes are
 * reused and the rest executed, fed by the same outside outputs its plan took. A retry plans a
 * new run this way; resuming an interrupted run plans the same run this way.
 */
export function planRetryOf(run: Pick<RunForExecution, "graph" | "plan" | "nodes">): PlanResult {
  const results: Record<string, PreviousNodeResult> = {};
  for (const node of run.nodes) results[node.nodeId] = previousResult(node);
  return retryPlan({ graph: run.graph, results, upstreamOutputs: run.plan?.upstreamOutputs ?? {}, cache: run.plan?.cache });
}

function previousResult(node: NodeExecutionRecord): PreviousNodeResult {
  return {
    status: node.status,
    outputs: node.outputs,
    inputs: node.inputs,
    fingerprint: node.fingerprint,
    startedAt: node.startedAt?.toISOString() ?? null,
    finishedAt: node.finishedAt?.toISOString() ?? null,
    durationMs: node.durationMs,
    cachedFrom: cacheSourceOf(node),
  };
}

function reusedNode(node: NodeExecutionRecord): ReusedNode {
  return {
    outputs: node.outputs ?? {},
    inputs: node.inputs,
    fingerprint: node.fingerprint,
    startedAt: node.startedAt?.toISOString() ?? null,
    finishedAt: node.finishedAt?.toISOString() ?? null,
    durationMs: node.durationMs,
    ...(node.cachedFromExecutionId ? { cachedFrom: cacheSourceOf(node) } : {}),
  };
}

function cacheSourceOf(node: NodeExecutionRecord): CacheSource | null {
  return node.cachedFromExecutionId && node.cachedFromRunId
    ? { executionId: node.cachedFromExecutionId, runId: node.cachedFromRunId }
    : null;
}

/**
 * The most recent successful outputs of these nodes in this workflow, for planning runs whose
 * scope is fed by nodes outside it. One walk of the (workflowId, nodeId, status, finishedAt) index.
 */
export async function latestSuccessfulOutputs(
  workflowId: string,
  nodes: readonly { id: string; type: string }[],
): Promise<Record<string, NodeOutputs>> {
  if (nodes.length === 0) return {};
  const rows = await db.$queryRaw<{ nodeId: string; nodeType: string; outputs: NodeOutputs }[]>`
    SELECT DISTINCT ON ("nodeId") "nodeId", "nodeType", "outputs"
    FROM "NodeExecution"
    WHERE "workflowId" = ${workflowId}
      AND "nodeId" IN (${Prisma.join(nodes.map((node) => node.id))})
      AND "status" = 'success'
      AND "outputs" IS NOT NULL
    ORDER BY "nodeId", "finishedAt" DESC NULLS LAST`;
  const typeOf = new Map(nodes.map((node) => [node.id, node.type]));
  const latest: Record<string, NodeOutputs> = {};
  // A node id reused by a node of another type is another node: its old outputs do not count.
  for (const row of rows) if (typeOf.get(row.nodeId) === row.nodeType) latest[row.nodeId] = row.outputs;
  return latest;
}

/**
 * The owner's most recent successful execution of this work (ADR 016), from any run of any of
 * their workflows, whose output files all still exist (an older one stands in when a newer one's
 * asset was deleted). Only executions that did the work count, not ones that took it from the
 * cache, so the source is the run that really made the outputs. The owner is the run's: another
 * user's identical work is never found. One statement: it runs once per compute node per run.
 */
export async function findCachedExecution(ownerId: string, fingerprint: string): Promise<CachedExecution | null> {
  const rows = await db.$queryRaw<{ id: string; runId: string; outputs: NodeOutputs }[]>`
    SELECT e."id", e."runId", e."outputs"
    FROM "NodeExecution" e
    JOIN "WorkflowRun" r ON r."id" = e."runId"
    WHERE e."fingerprint" = ${fingerprint}
      AND e."status" = 'success'
      AND e."outputs" IS NOT NULL
      AND e."cachedFromExecutionId" IS NULL
      AND r."ownerId" = ${ownerId}
      -- Every media value among the outputs (a port value with an assetId) is still the owner's asset.
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_each(e."outputs") AS port(name, value)
        WHERE jsonb_typeof(port.value) = 'object'
          AND port.value->>'assetId' IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM "Asset" a WHERE a."id" = port.value->>'assetId' AND a."ownerId" = ${ownerId})
      )
    ORDER BY e."finishedAt" DESC NULLS LAST
    LIMIT 1`;
  const [row] = rows;
  return row ? { executionId: row.id, runId: row.runId, outputs: row.outputs } : null;
}

export async function setEngineRunId(runId: string, engineRunId: string): Promise<void> {
  await db.workflowRun.update({ where: { id: runId }, data: { engineRunId } });
}

/**
 * Ends a run that no engine is executing (cancelled before any engine picked it up, or an engine
 * that could not start it): the run takes `status`, and its unfinished nodes become cancelled.
 * Returns false when the run had already finished.
 */
export async function endRunWithoutEngine(
  runId: string,
  outcome: { status: Extract<RunStatus, "cancelled" | "failed">; error: string | null },
): Promise<boolean> {
  const finishedAt = new Date();
  return db.$transaction(async (tx) => {
    const { count } = await tx.workflowRun.updateMany({
      where: { id: runId, status: { in: [...UNFINISHED_RUN_STATUSES] } },
      data: { status: outcome.status, error: outcome.error, finishedAt },
    });
    if (count === 0) return false;
    await tx.nodeExecution.updateMany({
      where: { runId, status: { in: ["idle", "queued", "running"] } },
      data: { status: "cancelled", finishedAt },
    });
    return true;
  });
}

/** Plain JSON for a JSON column: drops `undefined` (ports without a value) as JSON would. */
export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
