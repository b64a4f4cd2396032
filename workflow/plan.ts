import { z } from "zod";
import type { CachePolicy, CacheSource } from "./cache";
import type { Graph, GraphNode } from "./graph";
import { nodeName, validateGraph, type GraphProblemCode } from "./graph-validation";
import { isSourceNode } from "./nodes/registry";
import type { NodeStatus } from "./run-progress";
import type { NodeInputs, NodeOutputs } from "./values";

export const RunScopeSchema = z.enum(["full", "selected", "single"]);
export type RunScope = z.infer<typeof RunScopeSchema>;

export type PlanProblemCode =
  | GraphProblemCode
  | "invalid_scope"
  | "unknown_node"
  | "missing_upstream_output"
  | "nothing_to_retry";

export interface PlanProblem {
  code: PlanProblemCode;
  /** Written for the person starting the run: names the node and what to do. */
  message: string;
  nodeId?: string;
  edgeId?: string;
}

/** A node of the run that keeps its success from the run being retried or resumed. */
export interface ReusedNode {
  outputs: NodeOutputs;
  inputs: NodeInputs | null;
  fingerprint: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Set when that success itself came from the cache. */
  cachedFrom?: CacheSource | null;
}

/** Plain JSON, so it can travel in a task payload. */
export interface RunPlan {
  /** The nodes this run executes, in graph order. */
  executeNodeIds: string[];
  /**
   * Nodes of this run that already succeeded (retry, resume) or that the output cache serves
   * (settled when the run was requested, ADR 016): reported as they were, not executed.
   */
  reusedNodes: Record<string, ReusedNode>;
  /** Outputs of compute nodes outside the run that feed it: their latest successful outputs. */
  upstreamOutputs: Record<string, NodeOutputs>;
  /** How the run treats the output cache (ADR 016); absent: every compute node reads it. */
  cache?: CachePolicy;
}

export type PlanResult = { ok: true; plan: RunPlan } | { ok: false; problems: PlanProblem[] };

/** What a retry needs to know of each node of the earlier run (its NodeExecution row). */
export interface PreviousNodeResult {
  status: NodeStatus;
  outputs: NodeOutputs | null;
  inputs?: NodeInputs | null;
  fingerprint?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  durationMs?: number | null;
  cachedFrom?: CacheSource | null;
}

/**
 * Decides what a run executes. `full` runs every node (`nodeIds` is ignored); `selected` runs
 * the given nodes; `single` runs one. Source nodes feeding the scope run with it; compute nodes
 * outside the scope that feed it supply `latestOutputs`, and a run needing one that has none
 * is refused up front.
 */
export function planRun({
  graph,
  scope,
  nodeIds = [],
  latestOutputs,
  cache,
}: {
  graph: Graph;
  scope: RunScope;
  nodeIds?: readonly string[];
  latestOutputs: Readonly<Record<string, NodeOutputs>>;
  /** Absent: every compute node reads the cache. */
  cache?: CachePolicy;
}): PlanResult {
  const planned = planScope({ graph, scope, nodeIds, latestOutputs });
  if (!planned.ok || !cache) return planned;
  const executing = new Set(planned.plan.executeNodeIds);
  const outside = cache.freshNodeIds.filter((id) => !executing.has(id));
  if (outside.length > 0) {
    return {
      ok: false,
      problems: outside.map((id) => ({
        code: "invalid_scope",
        nodeId: id,
        message: `Node "${id}" is to run fresh but is not part of this run; include it in the run.`,
      })),
    };
  }
  return { ok: true, plan: { ...planned.plan, cache } };
}

function planScope({
  graph,
  scope,
  nodeIds,
  latestOutputs,
}: {
  graph: Graph;
  scope: RunScope;
  nodeIds: readonly string[];
  latestOutputs: Readonly<Record<string, NodeOutputs>>;
}): PlanResult {
  const validation = validateGraph(graph);
  if (!validation.ok) return { ok: false, problems: validation.problems };
  const valid = validation.graph;

  if (scope === "full") {
    if (valid.nodes.length === 0) {
      return refuse({ code: "invalid_scope", message: "The workflow has no nodes to run. Add a node first." });
    }
    return assemble(valid, new Set(valid.nodes.map((node) => node.id)), {}, latestOutputs);
  }

  const requested = [...new Set(nodeIds)];
  if (scope === "selected" && requested.length === 0) {
    return refuse({ code: "invalid_scope", message: "Select at least one node to run." });
  }
  if (scope === "single" && requested.length !== 1) {
    return refuse({
      code: "invalid_scope",
      message: `Running a single node takes exactly one node id, but ${requested.length} were given.`,
    });
  }
  const known = new Set(valid.nodes.map((node) => node.id));
  const unknown = requested.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    return {
      ok: false,
      problems: unknown.map((id) => ({
        code: "unknown_node",
        nodeId: id,
        message: `This workflow has no node "${id}"; it may have been deleted. Reload the workflow and try again.`,
      })),
    };
  }
  return assemble(valid, new Set(requested), {}, latestOutputs);
}

/**
 * Plans a retry (or the resumption of an interrupted run) on the earlier run's graph: nodes that
 * succeeded keep their results, every other node of that run is executed again.
 * `upstreamOutputs` supplies compute nodes outside the run that feed it (the earlier plan's
 * upstream outputs, or the workflow's latest successful outputs).
 */
export function retryPlan({
  graph,
  results,
  upstreamOutputs = {},
  cache,
}: {
  graph: Graph;
  /** Every node of the earlier run, by node id. */
  results: Readonly<Record<string, PreviousNodeResult>>;
  upstreamOutputs?: Readonly<Record<string, NodeOutputs>>;
  /** The earlier run's cache policy, kept: a retried Re-roll still runs its node fresh. */
  cache?: CachePolicy;
}): PlanResult {
  const validation = validateGraph(graph);
  if (!validation.ok) return { ok: false, problems: validation.problems };
  const valid = validation.graph;

  const known = new Set(valid.nodes.map((node) => node.id));
  const problems: PlanProblem[] = [];
  const toExecute = new Set<string>();
  // Keyed by node id, so without a prototype: no id can land on an inherited property.
  const reusedNodes: Record<string, ReusedNode> = Object.create(null);
  for (const [nodeId, result] of Object.entries(results)) {
    if (!known.has(nodeId)) {
      problems.push({ code: "unknown_node", nodeId, message: `The run's graph has no node "${nodeId}".` });
    } else if (result.status === "success" && result.outputs) {
      reusedNodes[nodeId] = {
        outputs: result.outputs,
        inputs: result.inputs ?? null,
        fingerprint: result.fingerprint ?? null,
        startedAt: result.startedAt ?? null,
        finishedAt: result.finishedAt ?? null,
        durationMs: result.durationMs ?? null,
        ...(result.cachedFrom ? { cachedFrom: result.cachedFrom } : {}),
      };
    } else {
      toExecute.add(nodeId);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (toExecute.size === 0) {
    return refuse({ code: "nothing_to_retry", message: "Every node of this run succeeded; there is nothing to retry." });
  }
  const planned = assemble(valid, toExecute, reusedNodes, upstreamOutputs);
  return planned.ok && cache ? { ok: true, plan: { ...planned.plan, cache } } : planned;
}

function assemble(
  graph: Graph,
  toExecute: ReadonlySet<string>,
  reusedNodes: Record<string, ReusedNode>,
  available: Readonly<Record<string, NodeOutputs>>,
): PlanResult {
  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  const execute = new Set(toExecute);
  const feeding = graph.edges.filter(
    (edge) => toExecute.has(edge.target) && !toExecute.has(edge.source) && !Object.hasOwn(reusedNodes, edge.source),
  );
  for (const edge of feeding) {
    const source = nodesById.get(edge.source);
    if (source && isSourceNode(source)) execute.add(source.id);
  }

  const upstreamOutputs: Record<string, NodeOutputs> = Object.create(null);
  const missing = new Map<string, GraphNode>();
  for (const edge of feeding) {
    if (execute.has(edge.source)) continue;
    const outputs = Object.hasOwn(available, edge.source) ? available[edge.source] : undefined;
    const source = nodesById.get(edge.source);
    if (outputs && outputs[edge.sourceHandle] !== undefined) {
      upstreamOutputs[edge.source] = outputs;
    } else if (source) {
      missing.set(source.id, source);
    }
  }
  if (missing.size > 0) {
    return {
      ok: false,
      problems: [...missing.values()].map((node) => ({
        code: "missing_upstream_output",
        nodeId: node.id,
        message: `${nodeName(node)} has no successful output yet; run it first or include it in the selection.`,
      })),
    };
  }

  return {
    ok: true,
    plan: {
      executeNodeIds: graph.nodes.filter((node) => execute.has(node.id)).map((node) => node.id),
      reusedNodes,
      upstreamOutputs,
    },
  };
}

function refuse(problem: PlanProblem): PlanResult {
  return { ok: false, problems: [problem] };
}
