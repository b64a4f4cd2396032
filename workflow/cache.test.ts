import { describe, expect, it } from "vitest";
import { cachedNodesForPlan, cachePolicyOf, settleCachedNodes, type CacheMode } from "./cache";
import type { Graph } from "./graph";
import { planRun, type RunPlan } from "./plan";
import { executeRun } from "./scheduler";
import { edge, FakeHost, graphOf, llm, node } from "./test-support";
import type { NodeOutputs } from "./values";

/** prompt (text) → first (LLM) → second (LLM) ; lone (LLM, no connection). */
function chain(): Graph {
  return graphOf(
    [node("prompt", "text", { text: "Describe the product" }), llm("first", ""), llm("second", ""), llm("lone")],
    [edge("prompt", "text", "first", "user_message"), edge("first", "output", "second", "user_message")],
  );
}

function planFor(graph: Graph, { mode = "use", fresh = [] }: { mode?: CacheMode; fresh?: string[] } = {}): RunPlan {
  const result = planRun({ graph, scope: "full", latestOutputs: {}, cache: cachePolicyOf(mode, fresh) });
  if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join("\n"));
  return result.plan;
}

/** A host whose cache holds every success of a first run of `graph` (its run id "run-earlier"). */
async function hostRemembering(graph: Graph): Promise<FakeHost> {
  const first = new FakeHost();
  const earlier = await executeRun({ runId: "run-earlier", graph, plan: planFor(graph), host: first });
  const host = new FakeHost();
  for (const [id, result] of Object.entries(earlier.nodes)) {
    if (result.fingerprint && result.outputs) {
      host.cache.set(result.fingerprint, { runId: "run-earlier", executionId: `exec-${id}`, outputs: result.outputs });
    }
  }
  return host;
}

describe("the output cache in a run", () => {
  it("serves unchanged compute nodes from the cache and executes only the changed node and what depends on it", async () => {
    const host = await hostRemembering(chain());
    const changed = chain();
    changed.nodes[0].data = { text: "Describe the product in French" };
    host.behave("first", async () => ({ output: "Décrivez le produit" }));

    const result = await executeRun({ runId: "run-2", graph: changed, plan: planFor(changed), host });

    expect(result.status).toBe("completed");
    expect(host.executedNodeIds().sort()).toEqual(["first", "prompt", "second"]);
    expect(result.nodes.lone).toMatchObject({ status: "success", cachedFrom: { runId: "run-earlier", executionId: "exec-lone" } });
    expect(host.lastReport().nodes.lone).toMatchObject({ status: "success", cached: true, cachedFromRunId: "run-earlier" });
    expect(host.lastReport().nodes.first).toMatchObject({ status: "success", cached: false, cachedFromRunId: null });
    expect(host.records.find((record) => record.nodeId === "lone" && record.status === "success")).toMatchObject({
      cachedFromExecutionId: "exec-lone",
      cachedFromRunId: "run-earlier",
    });
    // The cached node never entered "running": it ended at once.
    expect(host.statusesOf("lone")).toEqual(["queued", "success"]);
  });

  it("passes cached outputs on, so an unchanged graph executes no compute node at all", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    const result = await executeRun({ runId: "run-2", graph, plan: planFor(graph), host });

    expect(result.status).toBe("completed");
    // Source nodes are never looked up: they run, and cost nothing.
    expect(host.executedNodeIds()).toEqual(["prompt"]);
    expect(host.lookups).toHaveLength(3);
    expect(result.nodes.second.cachedFrom?.executionId).toBe("exec-second");
  });

  it("reads nothing from the cache in refresh mode", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    await executeRun({ runId: "run-2", graph, plan: planFor(graph, { mode: "refresh" }), host });

    expect(host.lookups).toEqual([]);
    expect(host.executedNodeIds().sort()).toEqual(["first", "lone", "prompt", "second"]);
  });

  it("re-rolls a fresh node once; what follows it misses the cache when its output changed", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    host.behave("first", async () => ({ output: "a different answer" }));
    const result = await executeRun({ runId: "run-2", graph, plan: planFor(graph, { fresh: ["first"] }), host });

    expect(host.executedNodeIds().sort()).toEqual(["first", "prompt", "second"]);
    expect(result.nodes.lone.cachedFrom).not.toBeNull();
  });

  it("re-rolls a fresh node; what follows it reuses the cache when the output is byte-identical", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    await executeRun({ runId: "run-2", graph, plan: planFor(graph, { fresh: ["first"] }), host });

    expect(host.executedNodeIds().sort()).toEqual(["first", "prompt"]);
  });

  it("always runs a node marked always-fresh in the graph", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    graph.nodes[3].data = { ...graph.nodes[3].data, alwaysFresh: true };
    await executeRun({ runId: "run-2", graph, plan: planFor(graph), host });

    expect(host.executedNodeIds().sort()).toEqual(["lone", "prompt"]);
  });

  it("executes the node when the lookup fails", async () => {
    const graph = graphOf([llm("lone")]);
    const host = await hostRemembering(graph);
    host.findCachedExecution = () => Promise.reject(new Error("database gone"));
    const result = await executeRun({ runId: "run-2", graph, plan: planFor(graph), host });

    expect(result.status).toBe("completed");
    expect(host.executedNodeIds()).toEqual(["lone"]);
  });

  it("refuses to plan a fresh node that is not part of the run", () => {
    const result = planRun({ graph: chain(), scope: "single", nodeIds: ["lone"], latestOutputs: {}, cache: cachePolicyOf("use", ["first"]) });
    expect(result).toMatchObject({ ok: false, problems: [{ code: "invalid_scope", nodeId: "first" }] });
  });
});

describe("cachedNodesForPlan", () => {
  const sourceOutputs = async (source: { data: Record<string, unknown> }): Promise<NodeOutputs> => ({ text: String(source.data.text) });

  it("knows before running which nodes the cache serves, following cached outputs downstream", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    const served = await cachedNodesForPlan({ graph, plan: planFor(graph), find: (fp) => host.findCachedExecution(fp), sourceOutputs });
    expect(Object.keys(served).sort()).toEqual(["first", "lone", "second"]);
  });

  it("cannot know a node downstream of one that must execute", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    const served = await cachedNodesForPlan({
      graph,
      plan: planFor(graph, { fresh: ["first"] }),
      find: (fp) => host.findCachedExecution(fp),
      sourceOutputs,
    });
    expect(Object.keys(served)).toEqual(["lone"]);
  });

  it("settles what it finds in the plan, so the run neither looks those nodes up nor executes them", async () => {
    const graph = chain();
    const host = await hostRemembering(graph);
    const plan = planFor(graph);
    const served = await cachedNodesForPlan({ graph, plan, find: (fp) => host.findCachedExecution(fp), sourceOutputs });
    const lookupsWhilePlanning = host.lookups.length;
    const settled = settleCachedNodes(plan, served, "2026-12-03T12:00:00.000Z");
    expect(settled.executeNodeIds).toEqual(["prompt"]);

    const result = await executeRun({ runId: "run-2", graph, plan: settled, host });

    expect(result.status).toBe("completed");
    expect(host.lookups).toHaveLength(lookupsWhilePlanning);
    expect(host.executedNodeIds()).toEqual(["prompt"]);
    expect(result.nodes.second).toMatchObject({ status: "success", cachedFrom: { runId: "run-earlier", executionId: "exec-second" } });
    // Cached from the run's very first report, not once the scheduler got to them.
    expect(host.reports[0].nodes.second).toMatchObject({ status: "success", cached: true, cachedFromRunId: "run-earlier" });
  });
});
