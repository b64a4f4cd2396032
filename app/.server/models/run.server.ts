import { z } from "zod";
import { db, Prisma } from "~/.server/db.server";
import type { EngineHandle, WorkflowEngine } from "~/.server/engine/engine.server";
import { getEngine } from "~/.server/engine/index.server";
import { env } from "~/.server/env.server";
import {
  endRunWithoutEngine,
  latestSuccessfulOutputs,
  NODE_EXECUTION_FIELDS,
  planRetryOf,
  toJson,
  toNodeExecutionRecord,
} from "~/.server/engine/run-store.server";
import { CacheModeSchema, cachedNodesForPlan, cachePolicyOf, settleCachedNodes, type PlannedCacheHit } from "~workflow/cache";
import { findCachedExecution } from "~/.server/engine/run-store.server";
import { createMediaStore } from "~/.server/media-store.server";
import type { GraphNode } from "~workflow/graph";
import type { MediaStore } from "~workflow/execution";
import type { NodeOutputs } from "~workflow/values";
import { getNodeDefinition } from "~workflow/nodes/registry";
import { GraphSchema, type Graph } from "~workflow/graph";
import type { RunDetail, RunSummary } from "~/lib/runs/run-schemas";
import { planRun, RunScopeSchema, type PlanProblem, type RunPlan, type RunScope } from "~workflow/plan";
import { isFinishedRunStatus } from "~workflow/run-progress";
import { getWorkflow } from "./workflow.server";
import { checkBudget, estimateRun, type BudgetRefusal } from "~/.server/cost/cost.server";
import type { PlanEstimate } from "~workflow/cost/estimate";

// Runs belong to their owner: every function takes the owner's id and filters by it, so another
// user's run or workflow id behaves exactly like one that does not exist.

/** Ids are cuids; the bound only keeps nonsense from reaching the database. */
export const RunIdParamsSchema = z.object({ runId: z.string().min(1).max(64) });

export const RunRequestSchema = z.object({
  scope: RunScopeSchema,
  /** The nodes to run for `selected` (one or more) and `single` (exactly one); ignored for `full`. */
  nodeIds: z.array(z.string().min(1).max(200)).max(1_000).optional(),
  /** `use` (default): unchanged work is served from the owner's cache; `refresh`: every node executes. */
  cache: CacheModeSchema.default("use"),
  /** Nodes of the run that execute fresh once even when cached (Re-roll); each must be in the run. */
  fresh: z.array(z.string().min(1).max(200)).max(1_000).default([]),
});
// The input side: callers may leave out what has a default.
export type RunRequest = z.input<typeof RunRequestSchema>;

export type { RunDetail, RunSummary };

/** A run written and handed to its engine: its summary and how its engine can be followed. */
export interface LaunchedRun {
  run: RunSummary;
  realtime: EngineHandle;
}

export type StartRunResult =
  | { status: "ok"; started: LaunchedRun }
  | { status: "not_found" }
  /** The run cannot be made as asked: nothing was written. */
  | { status: "refused"; problems: PlanProblem[] }
  /** The owner already has `limit` runs queued or running: nothing was written. */
  | { status: "too_many_runs"; limit: number }
  /** The run's estimate exceeds the per-run cap or what is left of the month: nothing was written. */
  | { status: "budget_exceeded"; refusal: BudgetRefusal };

export type RetryRunResult = StartRunResult | { status: "not_finished" };

export type CancelRunResult = { status: "ok"; run: RunSummary } | { status: "not_found" } | { status: "finished"; run: RunSummary };

const SUMMARY_FIELDS = {
  id: true,
  workflowId: true,
  status: true,
  scope: true,
  requestedNodeIds: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  error: true,
  retryOfId: true,
  costUsd: true,
} as const;

type SummaryRow = Prisma.WorkflowRunGetPayload<{ select: typeof SUMMARY_FIELDS }>;

/**
 * Plans a run of the owner's workflow and hands it to the engine. The WorkflowRun and its
 * NodeExecution rows are written (in one transaction) before the engine hears of the run, so
 * whatever the engine reports lands on rows that exist and the run survives a crash in between.
 */
export async function createRun(
  ownerId: string,
  workflowId: string,
  request: RunRequest,
  engine: WorkflowEngine = getEngine(),
): Promise<StartRunResult> {
  const planned = await planAndEstimate(ownerId, workflowId, request);
  if (planned.status !== "ok") return planned;
  const { workflow, nodeIds, plan, estimate } = planned;
  const refusal = await checkBudget(ownerId, estimate);
  if (refusal) return { status: "budget_exceeded", refusal };

  const runId = await insertRun({
    ownerId,
    workflowId,
    scope: request.scope,
    requestedNodeIds: nodeIds,
    graph: workflow.graph,
    plan,
    estimate,
    engine,
    retryOfId: null,
  });
  if (runId === null) return tooManyRuns();
  return { status: "ok", started: await startRun(runId, engine) };
}

export type EstimateRunResult =
  | { status: "ok"; estimate: PlanEstimate }
  | { status: "not_found" }
  | { status: "refused"; problems: PlanProblem[] };

/** What `createRun` with this request would cost, planned the same way; nothing is written. */
export async function estimateRunRequest(ownerId: string, workflowId: string, request: RunRequest): Promise<EstimateRunResult> {
  const planned = await planAndEstimate(ownerId, workflowId, request);
  return planned.status === "ok" ? { status: "ok", estimate: planned.estimate } : planned;
}

/** A run request planned against the owner's workflow, and what it would cost (the cache's nodes at $0). */
async function planAndEstimate(ownerId: string, workflowId: string, request: RunRequest) {
  const workflow = await getWorkflow(ownerId, workflowId);
  if (!workflow) return { status: "not_found" as const };
  const nodeIds = request.scope === "full" ? [] : [...new Set(request.nodeIds ?? [])];
  const latestOutputs = await latestSuccessfulOutputs(workflowId, feedingNodes(workflow.graph, nodeIds));
  const planned = planRun({
    graph: workflow.graph,
    scope: request.scope,
    nodeIds,
    latestOutputs,
    cache: cachePolicyOf(request.cache ?? "use", request.fresh ?? []),
  });
  if (!planned.ok) return { status: "refused" as const, problems: planned.problems };
  const { plan, estimate } = await settleAndEstimate(ownerId, workflowId, workflow.graph, planned.plan);
  return { status: "ok" as const, workflow, nodeIds, plan, estimate };
}

/**
 * Runs again what did not succeed in a finished run, as a new run that reuses the successful
 * nodes' outputs (and takes the same outside outputs the earlier run took).
 */
export async function retryRun(ownerId: string, runId: string, engine: WorkflowEngine = getEngine()): Promise<RetryRunResult> {
  const run = await db.workflowRun.findFirst({
    where: { id: runId, ownerId },
    select: {
      ...SUMMARY_FIELDS,
      graphSnapshot: true,
      plan: true,
      nodeExecutions: { select: NODE_EXECUTION_FIELDS },
    },
  });
  if (!run) return { status: "not_found" };
  if (!isFinishedRunStatus(run.status)) return { status: "not_finished" };

  const graph = GraphSchema.parse(run.graphSnapshot);
  // Written only by createRun and retryRun, from a RunPlan.
  const planned = planRetryOf({ graph, plan: run.plan as RunPlan | null, nodes: run.nodeExecutions.map(toNodeExecutionRecord) });
  if (!planned.ok) return { status: "refused", problems: planned.problems };
  const { plan, estimate } = await settleAndEstimate(ownerId, run.workflowId, graph, planned.plan);
  const refusal = await checkBudget(ownerId, estimate);
  if (refusal) return { status: "budget_exceeded", refusal };

  const newRunId = await insertRun({
    ownerId,
    workflowId: run.workflowId,
    scope: run.scope,
    requestedNodeIds: run.requestedNodeIds,
    graph,
    plan,
    estimate,
    engine,
    retryOfId: run.id,
  });
  if (newRunId === null) return tooManyRuns();
  return { status: "ok", started: await startRun(newRunId, engine) };
}

/**
 * The plan with the nodes the owner's output cache serves settled in it (ADR 016), and what the
 * run will cost: those nodes at $0, listed in the estimate with the basis "cached".
 */
async function settleAndEstimate(ownerId: string, workflowId: string, graph: Graph, plan: RunPlan) {
  const hits = await plannedCacheHits(ownerId, graph, plan);
  const estimate = await estimateRun(workflowId, graph, plan.executeNodeIds, new Set(Object.keys(hits)));
  return { plan: settleCachedNodes(plan, hits, new Date().toISOString()), estimate };
}

/** The nodes of a planned run the owner's output cache serves, as far as that is known before running. */
function plannedCacheHits(ownerId: string, graph: Graph, plan: RunPlan): Promise<Record<string, PlannedCacheHit>> {
  const media = createMediaStore(ownerId);
  return cachedNodesForPlan({
    graph,
    plan,
    find: (fingerprint) => findCachedExecution(ownerId, fingerprint),
    sourceOutputs: (node) => sourceNodeOutputs(node, media),
  });
}

/** What a source node hands on, as its executor would (the typed text, the owner's uploaded asset). */
async function sourceNodeOutputs(node: GraphNode, media: MediaStore): Promise<NodeOutputs | null> {
  if (node.type === "text") {
    const params = getNodeDefinition("text").params.safeParse(node.data);
    return params.success ? { text: params.data.text } : null;
  }
  if (node.type === "upload-image" || node.type === "upload-video") {
    const params = getNodeDefinition(node.type).params.safeParse(node.data);
    if (!params.success || params.data.assetId === null) return null;
    const kind = node.type === "upload-image" ? "image" : "video";
    return { [kind]: await media.getAsset(params.data.assetId, kind) };
  }
  return null;
}

/** Statuses of a run that still holds the engine's attention. */
const IN_FLIGHT_STATUSES = ["idle", "queued", "running"] as const;

function tooManyRuns(): StartRunResult {
  return { status: "too_many_runs", limit: env().MAX_RUNS_IN_FLIGHT_PER_USER };
}

/**
 * Writes the run unless the owner already has MAX_RUNS_IN_FLIGHT_PER_USER runs in flight
 * (then null). The count and the insert share a transaction holding a lock on the owner, so
 * parallel requests cannot all pass the count.
 */
async function insertRun(input: {
  ownerId: string;
  workflowId: string;
  scope: RunScope;
  requestedNodeIds: string[];
  graph: Graph;
  plan: RunPlan;
  estimate: PlanEstimate;
  engine: WorkflowEngine;
  retryOfId: string | null;
}): Promise<string | null> {
  const { plan, workflowId } = input;
  const typeOf = new Map(input.graph.nodes.map((node) => [node.id, node.type]));
  const executing = new Set(plan.executeNodeIds);
  const executed = plan.executeNodeIds.map((nodeId) => ({ workflowId, nodeId, nodeType: typeOf.get(nodeId) ?? "" }));
  const reused = Object.entries(plan.reusedNodes)
    .filter(([nodeId]) => !executing.has(nodeId))
    .map(([nodeId, node]) => ({
      workflowId,
      nodeId,
      nodeType: typeOf.get(nodeId) ?? "",
      status: "success" as const,
      outputs: toJson(node.outputs),
      ...(node.inputs === null ? {} : { inputs: toJson(node.inputs) }),
      fingerprint: node.fingerprint,
      cachedFromExecutionId: node.cachedFrom?.executionId ?? null,
      cachedFromRunId: node.cachedFrom?.runId ?? null,
      startedAt: node.startedAt === null ? null : new Date(node.startedAt),
      finishedAt: node.finishedAt === null ? null : new Date(node.finishedAt),
      durationMs: node.durationMs,
    }));
  return db.$transaction(async (tx) => {
    // Held until the transaction ends: one owner's run requests are counted one at a time.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`weft-runs:${input.ownerId}`}))`;
    const inFlight = await tx.workflowRun.count({
      where: { ownerId: input.ownerId, status: { in: [...IN_FLIGHT_STATUSES] } },
    });
    if (inFlight >= env().MAX_RUNS_IN_FLIGHT_PER_USER) return null;
    // One statement, so the run and its node rows exist together or not at all.
    const run = await tx.workflowRun.create({
      data: {
        ownerId: input.ownerId,
        workflowId,
        scope: input.scope,
        requestedNodeIds: input.requestedNodeIds,
        status: "queued",
        engine: input.engine.kind,
        graphSnapshot: toJson(input.graph),
        plan: toJson(plan),
        estimate: toJson(input.estimate),
        retryOfId: input.retryOfId,
        nodeExecutions: { createMany: { data: [...executed, ...reused] } },
      },
      select: { id: true },
    });
    return run.id;
  });
}

async function startRun(runId: string, engine: WorkflowEngine): Promise<LaunchedRun> {
  let handle: EngineHandle;
  try {
    handle = await engine.start(runId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await endRunWithoutEngine(runId, { status: "failed", error: `The run could not be started: ${message}` });
    throw error;
  }
  const row = await db.workflowRun.update({
    where: { id: runId },
    data: { engineRunId: handle.engineRunId },
    select: SUMMARY_FIELDS,
  });
  return { run: toSummary(row), realtime: handle };
}

/** Compute and source nodes outside `nodeIds` that feed them: the ones whose earlier outputs a run may need. */
function feedingNodes(graph: Graph, nodeIds: readonly string[]): { id: string; type: string }[] {
  const inScope = new Set(nodeIds);
  const feeding = new Set(graph.edges.filter((edge) => inScope.has(edge.target) && !inScope.has(edge.source)).map((edge) => edge.source));
  return graph.nodes.filter((node) => feeding.has(node.id));
}

/**
 * One of the owner's runs with its node records. A run still going by its rows is first checked
 * with the engine (`reconcile`): an orchestrator that died never wrote its end, and the browser
 * asks for this once its feed says the Trigger.dev run is over.
 */
export async function getRunForOwner(ownerId: string, runId: string, engine: WorkflowEngine = getEngine()): Promise<RunDetail | null> {
  const detail = await readRunForOwner(ownerId, runId);
  if (!detail || isFinishedRunStatus(detail.status) || !engine.reconcile) return detail;
  const engineRunId = (await db.workflowRun.findUnique({ where: { id: runId }, select: { engineRunId: true } }))?.engineRunId;
  if (!engineRunId) return detail;
  const ended = await engine.reconcile({ id: runId, engineRunId }).catch((error: unknown) => {
    // Trigger.dev unreachable: the rows are all there is to show; the next request asks again.
    console.warn(`Could not check run ${runId} with the engine: ${String(error)}`);
    return false;
  });
  return ended ? readRunForOwner(ownerId, runId) : detail;
}

async function readRunForOwner(ownerId: string, runId: string): Promise<RunDetail | null> {
  const row = await db.workflowRun.findFirst({
    where: { id: runId, ownerId },
    select: { ...SUMMARY_FIELDS, graphSnapshot: true, nodeExecutions: { select: NODE_EXECUTION_FIELDS } },
  });
  if (!row) return null;
  const { graphSnapshot, nodeExecutions, ...summary } = row;
  const order = new Map(GraphSchema.parse(graphSnapshot).nodes.map((node, index) => [node.id, index]));
  const nodes = nodeExecutions
    .map(toNodeExecutionRecord)
    .sort((a, b) => (order.get(a.nodeId) ?? Infinity) - (order.get(b.nodeId) ?? Infinity));
  return { ...toSummary(summary), nodes };
}

/** Where a page of runs ends: the (createdAt, id) of its last run, opaque to clients. */
interface RunCursor {
  createdAt: Date;
  id: string;
}

// Years 1970–9999 only: PostgreSQL has no year 0 (and a cursor we handed out is never older than Weft).
const RunCursorSchema = z.tuple([
  z.iso.datetime().refine((value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 1970 && year <= 9999;
  }),
  z.string().min(1).max(64),
]);

export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString("base64url");
}

/** The cursor a page handed out, or null for anything else. */
export function decodeRunCursor(value: string): RunCursor | null {
  try {
    const [createdAt, id] = RunCursorSchema.parse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return { createdAt: new Date(createdAt), id };
  } catch {
    return null;
  }
}

/**
 * The workflow's runs, newest first, a page at a time: `cursor` is the previous page's
 * `nextCursor`. Keyset paging on (createdAt, id), so runs started meanwhile neither repeat nor
 * shift later pages. Null when the owner has no such workflow.
 */
export async function listRuns(
  ownerId: string,
  workflowId: string,
  { cursor, limit }: { cursor?: RunCursor; limit: number },
): Promise<{ runs: RunSummary[]; nextCursor: string | null } | null> {
  const workflow = await db.workflow.findFirst({ where: { id: workflowId, ownerId }, select: { id: true } });
  if (!workflow) return null;
  // A row comparison is the form PostgreSQL turns into one index range scan; the equivalent
  // `createdAt < x OR (createdAt = x AND id < y)` filters every newer row (~10 ms at 100k runs).
  // The timestamp goes in as text cast to the column's type, so no time zone is involved.
  const after = cursor
    ? Prisma.sql`AND ("createdAt", id) < (${cursor.createdAt.toISOString().slice(0, -1)}::timestamp(3), ${cursor.id})`
    : Prisma.empty;
  const ids = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "WorkflowRun"
    WHERE "workflowId" = ${workflowId} AND "ownerId" = ${ownerId} ${after}
    ORDER BY "createdAt" DESC, id DESC
    LIMIT ${limit + 1}`;
  const rows = await db.workflowRun.findMany({
    where: { id: { in: ids.map((row) => row.id) } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: SUMMARY_FIELDS,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    runs: page.map(toSummary),
    nextCursor: rows.length > limit && last ? encodeRunCursor(last) : null,
  };
}

/** Asks the engine to stop the run; it reads `cancelled` once the engine has stopped it. */
export async function cancelRun(ownerId: string, runId: string, engine: WorkflowEngine = getEngine()): Promise<CancelRunResult> {
  const run = await db.workflowRun.findFirst({ where: { id: runId, ownerId }, select: { ...SUMMARY_FIELDS, engineRunId: true } });
  if (!run) return { status: "not_found" };
  if (isFinishedRunStatus(run.status)) return { status: "finished", run: toSummary(run) };
  await engine.cancel({ id: run.id, engineRunId: run.engineRunId });
  const current = await db.workflowRun.findUniqueOrThrow({ where: { id: run.id }, select: SUMMARY_FIELDS });
  return { status: "ok", run: toSummary(current) };
}

function toSummary(row: SummaryRow): RunSummary {
  return {
    id: row.id,
    workflowId: row.workflowId,
    status: row.status,
    scope: row.scope,
    requestedNodeIds: row.requestedNodeIds,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    error: row.error,
    retryOfId: row.retryOfId,
    costUsd: row.costUsd,
  };
}
