import { performance } from "node:perf_hooks";
import { estimatePlan } from "~workflow/cost/estimate";
import { SHIPPED_PRICES } from "~workflow/cost/prices";
import type { Usage } from "~workflow/cost/usage";
import { DEFAULT_TEXT_MODEL } from "~workflow/gemini-models";
import type { Graph, GraphEdge, GraphNode } from "~workflow/graph";
import { percentile, round } from "./stats";

const NODES = 500;
const SAMPLES = 200;

/**
 * 100 chains of Text → Run LLM → Run LLM → Crop → Run LLM (500 nodes), every LLM with recent
 * usage: the estimate's own work for a graph at the size limit, with no call to Gemini (the
 * counts and history are given, as the app passes them in).
 */
function graphOf500(): { graph: Graph; recentUsage: Record<string, Usage[]> } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const recentUsage: Record<string, Usage[]> = {};
  const at = { x: 0, y: 0 };
  for (let chain = 0; nodes.length < NODES; chain++) {
    const id = (step: string) => `${step}-${chain}`;
    nodes.push({ id: id("text"), type: "text", position: at, data: { text: "Describe the product in one paragraph.".repeat(10) } });
    for (const step of ["llm-a", "llm-b"]) nodes.push({ id: id(step), type: "run-llm", position: at, data: { model: DEFAULT_TEXT_MODEL, user_message: "" } });
    nodes.push({ id: id("upload"), type: "upload-image", position: at, data: { assetId: null } });
    nodes.push({ id: id("llm-c"), type: "run-llm", position: at, data: { model: DEFAULT_TEXT_MODEL, user_message: "Write a tweet." } });
    const link = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
      edges.push({ id: `${source}-${target}-${targetHandle}`, source, sourceHandle, target, targetHandle });
    link(id("text"), "text", id("llm-a"), "user_message");
    link(id("llm-a"), "output", id("llm-b"), "user_message");
    link(id("upload"), "image", id("llm-c"), "images");
    link(id("llm-b"), "output", id("llm-c"), "system_prompt");
    for (const step of ["llm-a", "llm-b", "llm-c"]) {
      recentUsage[id(step)] = [{ model: DEFAULT_TEXT_MODEL, inputTokens: 1_200, cachedInputTokens: 0, outputTokens: 300, thinkingTokens: 200 }];
    }
  }
  return { graph: { nodes, edges }, recentUsage };
}

export function runEstimateBenchmark(log: (line: string) => void) {
  const { graph, recentUsage } = graphOf500();
  const nodeIds = graph.nodes.map((node) => node.id);
  const times: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    const start = performance.now();
    estimatePlan({ graph, nodeIds, prices: SHIPPED_PRICES, recentUsage, cachedNodeIds: new Set() });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  log(`estimate: ${NODES} nodes, ${SAMPLES} samples`);
  return { estimate_p95_ms: round(percentile(times, 0.95)), estimate_nodes: graph.nodes.length };
}
