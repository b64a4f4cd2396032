import type { Graph, GraphEdge, GraphNode } from "../graph";
import { getNodeDefinition, isNodeType, type NodeParams, type NodeType } from "../nodes/registry";
import { priceOf, type PriceTable } from "./prices";
import { costOfUsage, GENERATED_IMAGE_SIZE, type Usage, type Usd } from "./usage";

/**
 * What a run will cost before it runs: per node and in total, from the price table, Gemini's
 * token count of the prompt (when the app could ask) or a character heuristic, and what the node
 * itself used in its recent runs. Pure: the app gathers the counts and history and passes them in.
 */

export interface NodeEstimate {
  /** null: price unknown (the model is not in the price table), never read as $0. */
  usd: Usd;
  /** How the figure came about, for a person: "≈ 1,240 input tokens (counted) + ≈ 300 output (recent runs)". */
  basis: string;
}

export interface PlanEstimate {
  /** The sum of the nodes whose price is known. */
  totalUsd: number;
  /** False when some node's price is unknown: the total then leaves it out and says so. */
  complete: boolean;
  nodes: Record<string, NodeEstimate>;
}

export interface EstimateInput {
  graph: Graph;
  /** The nodes the run would execute (RunPlan.executeNodeIds). */
  nodeIds: readonly string[];
  prices: PriceTable;
  /** Usage of each node's latest successful executions, newest first. */
  recentUsage: Readonly<Record<string, readonly Usage[]>>;
  /** Tokens of a Run LLM node's prompt text as Gemini's countTokens answered, by node (absent: heuristic). */
  countedInputTokens?: Readonly<Record<string, number>>;
  /** Nodes the output cache would serve instead of executing: they cost nothing. */
  cachedNodeIds: ReadonlySet<string>;
}

/** The graph looked up by id, built once per estimate: a 500-node graph is estimated in milliseconds. */
interface GraphIndex {
  nodesById: ReadonlyMap<string, GraphNode>;
  edgesByTarget: ReadonlyMap<string, readonly GraphEdge[]>;
}

function indexGraph(graph: Graph): GraphIndex {
  const edgesByTarget = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    const list = edgesByTarget.get(edge.target);
    if (list) list.push(edge);
    else edgesByTarget.set(edge.target, [edge]);
  }
  return { nodesById: new Map(graph.nodes.map((node) => [node.id, node])), edgesByTarget };
}

interface EstimatorContext<K extends NodeType> {
  node: GraphNode;
  params: NodeParams<K>;
  graph: GraphIndex;
  prices: PriceTable;
  recentUsage: readonly Usage[];
  countedInputTokens: number | undefined;
}

type NodeEstimator<K extends NodeType> = (context: EstimatorContext<K>) => NodeEstimate;

const FREE: NodeEstimate = { usd: 0, basis: "free" };
const free = (): NodeEstimate => FREE;

/** One estimator per node type: a new type without one is a compile error. */
const NODE_ESTIMATORS = {
  text: free,
  "upload-image": free,
  "upload-video": free,
  "crop-image": free,
  "extract-frame": free,
  "resize-image": free,
  "trim-video": free,
  "concat-videos": free,
  "run-llm": estimateRunLlm,
  "generate-image": estimateGenerateImage,
  "generate-video": estimateGenerateVideo,
} satisfies { [K in NodeType]: NodeEstimator<K> };

export function estimatePlan(input: EstimateInput): PlanEstimate {
  const index = indexGraph(input.graph);
  const nodes: Record<string, NodeEstimate> = Object.create(null);
  let totalUsd = 0;
  let complete = true;
  for (const id of input.nodeIds) {
    const estimate = input.cachedNodeIds.has(id) ? { usd: 0, basis: "cached" } : estimateNode(index.nodesById.get(id), index, input);
    nodes[id] = estimate;
    if (estimate.usd === null) complete = false;
    else totalUsd += estimate.usd;
  }
  return { totalUsd, complete, nodes };
}

function estimateNode(node: GraphNode | undefined, graph: GraphIndex, input: EstimateInput): NodeEstimate {
  if (!node || !isNodeType(node.type)) return { usd: null, basis: "unknown node type" };
  const parsed = getNodeDefinition(node.type).params.safeParse(node.data);
  // An invalid node fails before it calls anything: the run refuses it or the node fails unpaid.
  if (!parsed.success) return FREE;
  const estimator = NODE_ESTIMATORS[node.type] as NodeEstimator<NodeType>;
  return estimator({
    node,
    params: parsed.data,
    graph,
    prices: input.prices,
    recentUsage: input.recentUsage[node.id] ?? [],
    countedInputTokens: input.countedInputTokens?.[node.id],
  });
}

/** What a Run LLM node will send, as far as it is known before the run. */
export interface LlmPrompt {
  model: string;
  systemPrompt: string;
  userMessage: string;
  imageCount: number;
  /** Some text comes from a node whose output is only known once it runs. */
  hasUpstreamText: boolean;
}

/** The prompt of a Run LLM node: typed values, or the text of a connected Text node. */
export function llmPromptOf(node: GraphNode, graph: Graph): LlmPrompt | null {
  if (node.type !== "run-llm") return null;
  const parsed = getNodeDefinition("run-llm").params.safeParse(node.data);
  return parsed.success ? promptOf(node, parsed.data, indexGraph(graph)) : null;
}

function promptOf(node: GraphNode, params: NodeParams<"run-llm">, graph: GraphIndex): LlmPrompt {
  const incoming = graph.edgesByTarget.get(node.id) ?? [];
  let hasUpstreamText = false;
  const textOf = (port: "system_prompt" | "user_message", typed: string): string => {
    const edge = incoming.find((candidate) => candidate.targetHandle === port);
    if (!edge) return typed;
    const source = graph.nodesById.get(edge.source);
    const text = source?.type === "text" ? getNodeDefinition("text").params.safeParse(source.data) : undefined;
    if (text?.success) return text.data.text;
    hasUpstreamText = true;
    return "";
  };
  const systemPrompt = textOf("system_prompt", params.system_prompt);
  const userMessage = textOf("user_message", params.user_message);
  const imageCount = incoming.filter((edge) => edge.targetHandle === "images").length;
  return { model: params.model, systemPrompt, userMessage, imageCount, hasUpstreamText };
}

function estimateRunLlm({ node, params, graph, prices, recentUsage, countedInputTokens }: EstimatorContext<"run-llm">): NodeEstimate {
  const prompt = promptOf(node, params, graph);
  const recent = average(recentUsage.map((usage) => usage.inputTokens));
  let input: { tokens: number; how: string };
  // countTokens is asked about the text only: the images stay in Weft's storage until the run.
  const imageTokens = (prompt.imageCount ?? 0) * prices.heuristics.imageInputTokens;
  if (countedInputTokens !== undefined && !prompt.hasUpstreamText) input = { tokens: countedInputTokens + imageTokens, how: "counted" };
  else if (prompt.hasUpstreamText && recent !== undefined) input = { tokens: recent, how: "recent runs" };
  else {
    const chars = (prompt.systemPrompt.length ?? 0) + (prompt.userMessage.length ?? 0);
    const tokens = Math.ceil(chars / prices.heuristics.charsPerToken) + imageTokens;
    input = { tokens, how: prompt.hasUpstreamText ? "typed text only; upstream text not known yet" : `≈ ${prices.heuristics.charsPerToken} characters a token` };
  }
  const recentOutput = average(recentUsage.map((usage) => usage.outputTokens + usage.thinkingTokens));
  const output =
    recentOutput !== undefined
      ? { tokens: recentOutput, how: "recent runs" }
      : { tokens: prices.heuristics.defaultOutputTokens, how: "no recent runs" };
  const basis = `≈ ${formatCount(input.tokens)} input tokens (${input.how}) + ≈ ${formatCount(output.tokens)} output (${output.how})`;
  if (!priceOf(prices, params.model)) return { usd: null, basis: `price unknown for ${params.model}; ${basis}` };
  const usd = costOfUsage(
    { model: params.model, inputTokens: input.tokens, cachedInputTokens: 0, outputTokens: output.tokens, thinkingTokens: 0 },
    prices,
  );
  return { usd, basis };
}

/** One image at its size, plus its prompt's tokens: typed text by the character heuristic, connected references as images. */
function estimateGenerateImage({ node, params, graph, prices, recentUsage }: EstimatorContext<"generate-image">): NodeEstimate {
  const incoming = graph.edgesByTarget.get(node.id) ?? [];
  const references = incoming.filter((edge) => edge.targetHandle === "images").length;
  const recent = average(recentUsage.map((usage) => usage.inputTokens));
  const inputTokens =
    recent ?? Math.ceil(params.prompt.length / prices.heuristics.charsPerToken) + references * prices.heuristics.imageInputTokens;
  const basis = `1 image at ${GENERATED_IMAGE_SIZE} + ≈ ${formatCount(inputTokens)} input tokens (${recent === undefined ? "estimated" : "recent runs"})`;
  const usd = costOfUsage(
    { model: params.model, inputTokens, cachedInputTokens: 0, outputTokens: 0, thinkingTokens: 0, images: { count: 1, size: GENERATED_IMAGE_SIZE } },
    prices,
  );
  return usd === null ? { usd, basis: `price unknown for ${params.model}; ${basis}` } : { usd, basis };
}

/** Veo is priced by the second at the chosen resolution: the node says both. */
function estimateGenerateVideo({ params, prices }: EstimatorContext<"generate-video">): NodeEstimate {
  const basis = `${params.duration_seconds} s at ${params.resolution}`;
  const usd = costOfUsage(
    {
      model: params.model,
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      thinkingTokens: 0,
      video: { seconds: params.duration_seconds, resolution: params.resolution },
    },
    prices,
  );
  return usd === null ? { usd, basis: `price unknown for ${params.model} at ${params.resolution}; ${basis}` } : { usd, basis };
}

function average(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
}

const COUNT_FORMAT = new Intl.NumberFormat("en-US");

function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}
