import type { z } from "zod";
import { formatBytes } from "./format-bytes";
import { ALWAYS_FRESH_KEY, GraphSchema, type Graph, type GraphNode } from "./graph";
import { describeIssue } from "./validation-messages";
import {
  canConnect,
  getNodeDefinition,
  NODE_TYPES,
  type AnyNodeDefinition,
} from "./nodes/registry";
import type { PortDefinition, PortType } from "./nodes/types";

export type GraphProblemCode =
  | "invalid_shape"
  | "too_large"
  | "unknown_node_type"
  | "duplicate_node_id"
  | "duplicate_edge_id"
  | "dangling_edge"
  | "incompatible_ports"
  | "too_many_edges"
  | "cycle"
  | "invalid_params"
  /** The last entry of a capped list: how many more there are. */
  | "too_many_problems";

export interface GraphProblem {
  code: GraphProblemCode;
  /** Written for the person editing the workflow: names the node or edge and what to change. */
  message: string;
  nodeId?: string;
  edgeId?: string;
}

export interface GraphLimits {
  maxNodes?: number;
  /** Size of the graph as UTF-8 JSON. */
  maxBytes?: number;
}

export const DEFAULT_GRAPH_LIMITS = { maxNodes: 500, maxBytes: 1_000_000 } as const;

export type GraphValidationResult = { ok: true; graph: Graph } | { ok: false; problems: GraphProblem[] };

/** The parts of a graph that connection checks read; React Flow's own node and edge arrays fit it. */
export interface GraphTopology {
  nodes: readonly { id: string; type?: string }[];
  edges: readonly {
    source: string;
    target: string;
    sourceHandle?: string | null;
    targetHandle?: string | null;
  }[];
}

export interface GraphConnection {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

/**
 * Checks a workflow document as it is saved or imported, and reports every problem at once so a
 * person can fix them in one pass. Inputs that are required but empty are not problems here:
 * a half-built workflow must save, and the run reports what is missing.
 * On success the graph's node data is normalised: defaults filled in, unknown keys dropped.
 */
export function validateGraph(input: unknown, limits: GraphLimits = {}): GraphValidationResult {
  const maxNodes = limits.maxNodes ?? DEFAULT_GRAPH_LIMITS.maxNodes;
  const maxBytes = limits.maxBytes ?? DEFAULT_GRAPH_LIMITS.maxBytes;

  const bytes = jsonByteLength(input);
  if (bytes === null) {
    return fail([{ code: "invalid_shape", message: "The workflow is not plain JSON data." }]);
  }
  // Nothing more is examined past the size limit: the limit exists so oversized documents cost little.
  if (bytes > maxBytes) {
    return fail([
      {
        code: "too_large",
        message: `The workflow is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit. Remove nodes or shorten long texts.`,
      },
    ]);
  }

  const parsed = GraphSchema.safeParse(input, { reportInput: true });
  // The remaining checks name nodes and ports, which needs a well-formed document.
  if (!parsed.success) return fail(parsed.error.issues.map((issue) => shapeProblem(issue, input)));
  const graph = parsed.data;

  const problems: GraphProblem[] = [];
  if (graph.nodes.length > maxNodes) {
    problems.push({
      code: "too_large",
      message: `The workflow has ${graph.nodes.length} nodes, over the limit of ${maxNodes}. Remove some nodes.`,
    });
  }

  const nodesById = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (!nodesById.has(node.id)) nodesById.set(node.id, node);
  }
  for (const [id, count] of countBy(graph.nodes, (node) => node.id)) {
    if (count > 1) {
      problems.push({
        code: "duplicate_node_id",
        nodeId: id,
        message: `${count} nodes share the id "${id}"; every node needs its own id.`,
      });
    }
  }
  for (const [id, count] of countBy(graph.edges, (edge) => edge.id)) {
    if (count > 1) {
      problems.push({
        code: "duplicate_edge_id",
        edgeId: id,
        message: `${count} connections share the id "${id}"; every connection needs its own id.`,
      });
    }
  }

  const normalisedData: Record<string, unknown>[] = [];
  for (const node of graph.nodes) {
    const definition = getNodeDefinition(node.type);
    if (!definition) {
      problems.push({
        code: "unknown_node_type",
        nodeId: node.id,
        message: `Node "${node.id}" has the unknown type "${node.type}"; known types are ${NODE_TYPES.join(", ")}.`,
      });
      normalisedData.push(node.data);
      continue;
    }
    const flag = Object.hasOwn(node.data, ALWAYS_FRESH_KEY) ? node.data[ALWAYS_FRESH_KEY] : undefined;
    if (flag !== undefined && typeof flag !== "boolean") {
      problems.push({
        code: "invalid_params",
        nodeId: node.id,
        message: `${nodeName(node)}: "${ALWAYS_FRESH_KEY}" must be true or false.`,
      });
    }
    const params = definition.params.safeParse(node.data, { reportInput: true });
    if (params.success) {
      // The always-fresh flag is no parameter, so the schema drops it; it is kept only when set.
      normalisedData.push(flag === true ? { ...params.data, [ALWAYS_FRESH_KEY]: true } : params.data);
    } else {
      normalisedData.push(node.data);
      for (const issue of params.error.issues) {
        problems.push({
          code: "invalid_params",
          nodeId: node.id,
          message: `${nodeName(node)}: ${subject(issue.path, "its parameters")} ${describeIssue(issue)}.`,
        });
      }
    }
  }

  const feedsByInput = new Map<string, { port: PortDefinition; node: GraphNode; edgeIds: string[] }>();
  for (const edge of graph.edges) {
    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    if (!source) {
      problems.push({
        code: "dangling_edge",
        edgeId: edge.id,
        message: `Connection "${edge.id}" starts at node "${edge.source}", which does not exist; remove the connection.`,
      });
    }
    if (!target) {
      problems.push({
        code: "dangling_edge",
        edgeId: edge.id,
        message: `Connection "${edge.id}" ends at node "${edge.target}", which does not exist; remove the connection.`,
      });
    }
    if (!source || !target) continue;

    // A node of unknown type has already been reported; its ports cannot be checked.
    const sourceDefinition = getNodeDefinition(source.type);
    const targetDefinition = getNodeDefinition(target.type);
    const sourcePort = sourceDefinition && findPort(sourceDefinition.outputs, edge.sourceHandle);
    const targetPort = targetDefinition && findPort(targetDefinition.inputs, edge.targetHandle);
    if (sourceDefinition && !sourcePort) {
      problems.push({
        code: "dangling_edge",
        edgeId: edge.id,
        nodeId: source.id,
        message: `Connection "${edge.id}" ${wrongHandle(source, sourceDefinition, edge.sourceHandle, "outputs")}`,
      });
    }
    if (targetDefinition && !targetPort) {
      problems.push({
        code: "dangling_edge",
        edgeId: edge.id,
        nodeId: target.id,
        message: `Connection "${edge.id}" ${wrongHandle(target, targetDefinition, edge.targetHandle, "inputs")}`,
      });
    }
    if (!sourcePort || !targetPort) continue;

    if (!canConnect(sourcePort.type, targetPort.type)) {
      problems.push({
        code: "incompatible_ports",
        edgeId: edge.id,
        nodeId: target.id,
        message: `Connection "${edge.id}" from ${nodeName(source)} ${sourcePort.id} to ${nodeName(target)} ${targetPort.id}: ${incompatibility(sourcePort.type, targetPort.type)}.`,
      });
      continue;
    }
    const inputKey = JSON.stringify([target.id, targetPort.id]);
    const feeds = feedsByInput.get(inputKey) ?? { port: targetPort, node: target, edgeIds: [] };
    feeds.edgeIds.push(edge.id);
    feedsByInput.set(inputKey, feeds);
  }
  for (const { port, node, edgeIds } of feedsByInput.values()) {
    if (!port.multiple && edgeIds.length > 1) {
      problems.push({
        code: "too_many_edges",
        nodeId: node.id,
        message: `${nodeName(node)}: input ${port.id} takes one connection but has ${edgeIds.length} (${edgeIds.map((id) => `"${id}"`).join(", ")}); remove all but one.`,
      });
    }
  }

  for (const cycle of findCycles(graph.nodes, graph.edges)) {
    const names = [...cycle, cycle[0]].map((id) => nodeName(nodesById.get(id) ?? { id }));
    problems.push({
      code: "cycle",
      nodeId: cycle[0],
      message: `These nodes feed each other in a loop: ${names.join(" → ")}. A workflow must flow one way; remove one of these connections.`,
    });
  }

  if (problems.length > 0) return fail(problems);
  return {
    ok: true,
    graph: { ...graph, nodes: graph.nodes.map((node, index) => ({ ...node, data: normalisedData[index] })) },
  };
}

/** Whether adding a connection from source to target would close a loop (a self-loop included). */
export function wouldCreateCycle(graph: GraphTopology, connection: { source: string; target: string }): boolean {
  if (connection.source === connection.target) return true;
  const successors = successorsOf(graph.edges);
  const seen = new Set<string>([connection.target]);
  const pending = [connection.target];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const next of successors.get(id) ?? []) {
      if (next === connection.source) return true;
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return false;
}

/** The editor's check while a connection is dragged; the reason is shown to explain a refusal. */
export function isValidConnection(
  graph: GraphTopology,
  connection: GraphConnection,
): { ok: true } | { ok: false; reason: string } {
  const { source, sourceHandle, target, targetHandle } = connection;
  if (source === target) return refuse("A node cannot feed itself.");
  if (!sourceHandle || !targetHandle) return refuse("Connect an output port to an input port.");

  const sourceNode = graph.nodes.find((node) => node.id === source);
  const targetNode = graph.nodes.find((node) => node.id === target);
  if (!sourceNode || !targetNode) return refuse("That node no longer exists.");
  const sourceDefinition = getNodeDefinition(sourceNode.type ?? "");
  const targetDefinition = getNodeDefinition(targetNode.type ?? "");
  if (!sourceDefinition || !targetDefinition) return refuse("One of these nodes has an unknown type.");

  const sourcePort = findPort(sourceDefinition.outputs, sourceHandle);
  const targetPort = findPort(targetDefinition.inputs, targetHandle);
  if (!sourcePort) return refuse(`${sourceDefinition.label} has no output "${sourceHandle}".`);
  if (!targetPort) return refuse(`${targetDefinition.label} has no input "${targetHandle}".`);
  if (!canConnect(sourcePort.type, targetPort.type)) {
    return refuse(`${capitalise(incompatibility(sourcePort.type, targetPort.type))}.`);
  }

  const feeds = graph.edges.filter((edge) => edge.target === target && edge.targetHandle === targetHandle);
  if (feeds.some((edge) => edge.source === source && edge.sourceHandle === sourceHandle)) {
    return refuse("These ports are already connected.");
  }
  if (!targetPort.multiple && feeds.length > 0) {
    return refuse(`${targetPort.label} already has a connection; remove it first.`);
  }
  if (wouldCreateCycle(graph, connection)) {
    return refuse("This connection would make a loop; a workflow must flow one way.");
  }
  return { ok: true };
}

/** The most problems one answer lists: enough to fix in one pass, small however broken the graph is. */
export const MAX_REPORTED_PROBLEMS = 100;

function fail(problems: GraphProblem[]): GraphValidationResult {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return { ok: false, problems };
  const more = problems.length - MAX_REPORTED_PROBLEMS;
  return {
    ok: false,
    problems: [
      ...problems.slice(0, MAX_REPORTED_PROBLEMS),
      { code: "too_many_problems", message: `…and ${more} more problem${more === 1 ? "" : "s"}; fix these first.` },
    ],
  };
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function jsonByteLength(input: unknown): number | null {
  try {
    // undefined (or a function) has no JSON form; the shape check reports it.
    return new TextEncoder().encode(JSON.stringify(input) ?? "").byteLength;
  } catch {
    // Cyclic structures and BigInts cannot be stored as JSON.
    return null;
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** How a node is named in messages: its type's label and its id, e.g. `Crop Image "n3"`. */
export function nodeName(node: { id: string; type?: unknown }): string {
  const definition = typeof node.type === "string" ? getNodeDefinition(node.type) : undefined;
  return `${definition?.label ?? "Node"} "${node.id}"`;
}

function findPort(ports: readonly PortDefinition[], id: string): PortDefinition | undefined {
  return ports.find((port) => port.id === id);
}

function wrongHandle(
  node: GraphNode,
  definition: AnyNodeDefinition,
  handle: string,
  expected: "inputs" | "outputs",
): string {
  const [verb, wanted, other] =
    expected === "outputs"
      ? (["starts at", definition.outputs, definition.inputs] as const)
      : (["ends at", definition.inputs, definition.outputs] as const);
  const choices =
    wanted.length > 0
      ? `its ${expected} are ${wanted.map((port) => port.id).join(", ")}`
      : `it has no ${expected}`;
  const wrongDirection = findPort(other, handle) !== undefined;
  const opposite = expected === "outputs" ? "an input" : "an output";
  return wrongDirection
    ? `${verb} ${handle}, which is ${opposite} of ${nodeName(node)}, not one of its ${expected} (${choices}).`
    : `${verb} "${handle}", which ${nodeName(node)} does not have (${choices}).`;
}

const PORT_TYPE_PHRASES: Record<PortType, string> = {
  text: "text",
  number: "a number",
  image: "an image",
  video: "a video",
};

const PORT_TYPE_INPUT_PHRASES: Record<PortType, string> = {
  text: "a text input",
  number: "a number input",
  image: "an image input",
  video: "a video input",
};

function incompatibility(sourceType: PortType, targetType: PortType): string {
  return `${PORT_TYPE_PHRASES[sourceType]} cannot feed ${PORT_TYPE_INPUT_PHRASES[targetType]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Renders a zod path as people write it: `nodes[2].position.x`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}

function subject(path: readonly PropertyKey[], whole: string): string {
  return path.length > 0 ? formatPath(path) : whole;
}

function shapeProblem(issue: z.core.$ZodIssue, input: unknown): GraphProblem {
  const [list, index, ...rest] = issue.path;
  if ((list === "nodes" || list === "edges") && typeof index === "number") {
    const element = elementAt(input, list, index);
    const id = typeof element?.id === "string" && element.id !== "" ? element.id : undefined;
    const locator = `${list}[${index}]`;
    const name = id === undefined ? locator : `${list === "nodes" ? nodeName({ id, type: element?.type }) : `Connection "${id}"`} (${locator})`;
    const message =
      rest.length > 0 ? `${name}: ${formatPath(rest)} ${describeIssue(issue)}` : `${name} ${describeIssue(issue)}`;
    return {
      code: "invalid_shape",
      message: `${message}.`,
      ...(id !== undefined && (list === "nodes" ? { nodeId: id } : { edgeId: id })),
    };
  }
  return { code: "invalid_shape", message: `${subject(issue.path, "The workflow")} ${describeIssue(issue)}.` };
}

function elementAt(input: unknown, list: "nodes" | "edges", index: number): Record<string, unknown> | undefined {
  if (!isRecord(input)) return undefined;
  const items = input[list];
  if (!Array.isArray(items)) return undefined;
  const element: unknown = items[index];
  return isRecord(element) ? element : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function successorsOf(edges: GraphTopology["edges"]): Map<string, string[]> {
  const successors = new Map<string, string[]>();
  for (const edge of edges) {
    const list = successors.get(edge.source) ?? [];
    list.push(edge.target);
    successors.set(edge.source, list);
  }
  return successors;
}

/**
 * One loop per group of nodes that feed each other (strongly connected component), each given
 * as the ids along the loop in order. One loop per group keeps the report short; breaking it
 * and validating again reveals any other loop in the same group.
 */
function findCycles(nodes: readonly GraphNode[], edges: Graph["edges"]): string[][] {
  const ids = [...new Set(nodes.map((node) => node.id))];
  const known = new Set(ids);
  const successors = successorsOf(edges.filter((edge) => known.has(edge.source) && known.has(edge.target)));

  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(ids, successors)) {
    const start = component[0];
    const isLoop = component.length > 1 || (successors.get(start) ?? []).includes(start);
    if (isLoop) cycles.push(shortestLoopThrough(start, new Set(component), successors));
  }
  return cycles;
}

/** Tarjan's algorithm, iterative so a long chain of nodes cannot overflow the call stack. */
function stronglyConnectedComponents(ids: readonly string[], successors: Map<string, string[]>): string[][] {
  const order = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (id: string) => {
    order.set(id, order.size);
    lowLink.set(id, order.get(id) ?? 0);
    stack.push(id);
    onStack.add(id);
  };
  const lower = (id: string, candidate: number) => lowLink.set(id, Math.min(lowLink.get(id) ?? 0, candidate));

  for (const root of ids) {
    if (order.has(root)) continue;
    visit(root);
    const frames = [{ id: root, next: 0 }];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const targets = successors.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!order.has(target)) {
          visit(target);
          frames.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          lower(frame.id, order.get(target) ?? 0);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) lower(parent.id, lowLink.get(frame.id) ?? 0);
      if (lowLink.get(frame.id) === order.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member !== undefined) {
            onStack.delete(member);
            component.push(member);
          }
        } while (member !== undefined && member !== frame.id);
        // Tarjan pops in reverse discovery order; reversed, the group starts where the search entered it.
        components.push(component.reverse());
      }
    }
  }
  return components;
}

function shortestLoopThrough(start: string, within: Set<string>, successors: Map<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    for (const next of successors.get(id) ?? []) {
      if (!within.has(next)) continue;
      if (next === start) {
        const loop = [id];
        for (let step = cameFrom.get(id); step !== undefined; step = cameFrom.get(step)) loop.push(step);
        return loop.reverse();
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, id);
        queue.push(next);
      }
    }
  }
  // Unreachable for a strongly connected group; the start alone still names the loop.
  return [start];
}
