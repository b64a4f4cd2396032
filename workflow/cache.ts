import { z } from "zod";
import { isAlwaysFresh, type Graph, type GraphNode } from "./graph";
import { nodeFingerprint } from "./fingerprint";
import { prepareNodeInputs, resolveInputs } from "./inputs";
import { isNodeType, isSourceNode } from "./nodes/registry";
import type { RunPlan } from "./plan";
import type { NodeInputs, NodeOutputs } from "./values";

// The output cache (ADR 016): a compute node whose fingerprint equals an earlier successful
// execution of the same owner takes that execution's outputs instead of executing. This file
// holds the rules; the lookup itself is the host's (RunHost.findCachedExecution), by owner.

/** `use`: nodes read the cache (the default); `refresh`: no node of the run reads it. */
export const CacheModeSchema = z.enum(["use", "refresh"]);
export type CacheMode = z.infer<typeof CacheModeSchema>;

/** How a run treats the cache; travels in its plan. A plan without one uses the cache everywhere. */
export interface CachePolicy {
  mode: CacheMode;
  /** Nodes that execute fresh in this run even when the cache has their work (Re-roll). */
  freshNodeIds: string[];
}

/** The execution whose outputs a cached node took. */
export interface CacheSource {
  runId: string;
  executionId: string;
}

/** An earlier successful execution of the same work, found by fingerprint. */
export interface CachedExecution extends CacheSource {
  outputs: NodeOutputs;
}

/** A node of a planned run the cache serves, known before running: the work it matched and what it took. */
export interface PlannedCacheHit extends CachedExecution {
  inputs: NodeInputs;
  fingerprint: string;
}

/** Finds the owner's most recent successful execution with this fingerprint whose outputs still exist. */
export type FindCachedExecution = (fingerprint: string) => Promise<CachedExecution | null>;

/**
 * Whether this node of the run may take its outputs from the cache. Source nodes never do: they
 * cost nothing, run in-process and their value is already on the node, so a lookup would only
 * add a query and a "cached" badge that means nothing.
 */
export function readsCache(plan: Pick<RunPlan, "cache">, node: GraphNode): boolean {
  if (isSourceNode(node) || isAlwaysFresh(node)) return false;
  const policy = plan.cache;
  if (!policy) return true;
  return policy.mode === "use" && !policy.freshNodeIds.includes(node.id);
}

/** The plan's cache policy, only when it differs from the default (so default plans stay as they were). */
export function cachePolicyOf(mode: CacheMode, freshNodeIds: readonly string[]): CachePolicy | undefined {
  if (mode === "use" && freshNodeIds.length === 0) return undefined;
  return { mode, freshNodeIds: [...new Set(freshNodeIds)] };
}

/**
 * The nodes of a planned run that the cache would serve, as far as can be known before running
 * (for cost estimates, and to settle them in the plan: `settleCachedNodes`). Walks the plan in dependency waves; a node can be fingerprinted up front
 * only when all its inputs are known: source nodes (via `sourceOutputs`), nodes outside the run
 * (the plan's upstream and reused outputs) and nodes that are themselves served from the cache.
 * The limit: a node downstream of one that must execute cannot be known, because its inputs are
 * that execution's outputs; it counts as not cached.
 */
export async function cachedNodesForPlan({
  graph,
  plan,
  find,
  sourceOutputs,
}: {
  graph: Graph;
  plan: RunPlan;
  find: FindCachedExecution;
  /** A source node's outputs (typed text, the uploaded asset), or null when it has none. */
  sourceOutputs: (node: GraphNode) => Promise<NodeOutputs | null>;
}): Promise<Record<string, PlannedCacheHit>> {
  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  const known: Record<string, NodeOutputs> = Object.assign(Object.create(null), plan.upstreamOutputs);
  for (const [id, reused] of Object.entries(plan.reusedNodes)) known[id] = reused.outputs;
  const served: Record<string, PlannedCacheHit> = Object.create(null);
  const unknown = new Set<string>();

  const decide = async (id: string): Promise<void> => {
    const node = nodesById.get(id);
    if (!node || !isNodeType(node.type)) return;
    const feeders = graph.edges.filter((edge) => edge.target === id).map((edge) => edge.source);
    if (feeders.some((source) => unknown.has(source) || !Object.hasOwn(known, source))) {
      unknown.add(id);
      return;
    }
    if (isSourceNode(node)) {
      const outputs = await sourceOutputs(node).catch(() => null);
      if (outputs) known[id] = outputs;
      else unknown.add(id);
      return;
    }
    const cached = readsCache(plan, node) ? await lookUp(node, graph, known, find) : null;
    if (cached) {
      served[id] = cached;
      known[id] = cached.outputs;
    } else {
      unknown.add(id);
    }
  };
  // A wave's nodes depend only on earlier waves, so each wave's lookups go out together.
  for (const wave of dependencyWaves(graph, plan.executeNodeIds)) await Promise.all(wave.map(decide));
  return served;
}

async function lookUp(
  node: GraphNode,
  graph: Graph,
  known: Readonly<Record<string, NodeOutputs>>,
  find: FindCachedExecution,
): Promise<PlannedCacheHit | null> {
  if (!isNodeType(node.type)) return null;
  try {
    const checked = prepareNodeInputs(node, resolveInputs(node, graph, known));
    const fingerprint = nodeFingerprint(node.type, checked.params, checked.inputs);
    const found = await find(fingerprint);
    return found && { ...found, inputs: checked.inputs, fingerprint };
  } catch {
    // Inputs the run would refuse: the node fails when it runs, so nothing is served for it.
    return null;
  }
}

/**
 * The plan with the nodes the cache serves settled up front: they leave `executeNodeIds` and
 * join `reusedNodes` as successes taken from the cache at `at`, so neither mode looks them up
 * again or writes them twice, and a watcher sees them cached from the run's first report. The
 * scheduler still asks the cache for the nodes whose inputs only running can tell.
 */
export function settleCachedNodes(plan: RunPlan, hits: Readonly<Record<string, PlannedCacheHit>>, at: string): RunPlan {
  const settled = Object.keys(hits);
  if (settled.length === 0) return plan;
  const reusedNodes = { ...plan.reusedNodes };
  for (const [id, hit] of Object.entries(hits)) {
    reusedNodes[id] = {
      outputs: hit.outputs,
      inputs: hit.inputs,
      fingerprint: hit.fingerprint,
      startedAt: at,
      finishedAt: at,
      durationMs: 0,
      cachedFrom: { runId: hit.runId, executionId: hit.executionId },
    };
  }
  return { ...plan, executeNodeIds: plan.executeNodeIds.filter((id) => !Object.hasOwn(hits, id)), reusedNodes };
}

/** The given nodes in waves: each node comes in the wave after the last of the nodes among them that feed it. */
function dependencyWaves(graph: Graph, ids: readonly string[]): string[][] {
  const included = new Set(ids);
  const pending = new Map<string, number>(ids.map((id) => [id, 0]));
  const dependents = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!included.has(edge.source) || !included.has(edge.target)) continue;
    pending.set(edge.target, (pending.get(edge.target) ?? 0) + 1);
    dependents.set(edge.source, [...(dependents.get(edge.source) ?? []), edge.target]);
  }
  const waves: string[][] = [];
  for (let wave = ids.filter((id) => pending.get(id) === 0); wave.length > 0; ) {
    waves.push(wave);
    const next: string[] = [];
    for (const id of wave) {
      for (const dependent of dependents.get(id) ?? []) {
        const remaining = (pending.get(dependent) ?? 0) - 1;
        pending.set(dependent, remaining);
        if (remaining === 0) next.push(dependent);
      }
    }
    wave = next;
  }
  return waves;
}
