import type { XYPosition } from "@xyflow/react";
import type { Graph } from "~workflow/graph";
import { getNodeDefinition, type NodeType } from "~workflow/nodes/registry";
import { edgeId, toGraph, type EditorEdge, type EditorNode } from "./graph-conversion";

/** Copied nodes and the edges between them, in the saved graph's form so they can be pasted anywhere. */
export type Clipboard = Graph;

/** How far a paste or duplicate lands from its original, so the copy is visibly separate. */
export const PASTE_OFFSET = 40;

/** How far a node added where another already sits is moved, so two adds never stack exactly. */
export const STACK_OFFSET = 32;

/**
 * `crop-image-3`: the type says what it is, the number tells two of a kind apart. Numbers only
 * grow past the highest in use, so an id is never taken by a node that still exists.
 */
export function nextNodeId(type: NodeType, takenIds: Iterable<string>): string {
  const taken = new Set(takenIds);
  const pattern = new RegExp(`^${type}-(\\d+)$`);
  let highest = 0;
  for (const id of taken) {
    const match = pattern.exec(id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  let candidate = highest + 1;
  while (taken.has(`${type}-${candidate}`)) candidate++;
  return `${type}-${candidate}`;
}

/** The wanted position, moved diagonally until no node starts at (nearly) the same spot. */
export function freePosition(nodes: readonly { position: XYPosition }[], wanted: XYPosition): XYPosition {
  let position = wanted;
  const occupied = (candidate: XYPosition) =>
    nodes.some((node) => Math.abs(node.position.x - candidate.x) < 8 && Math.abs(node.position.y - candidate.y) < 8);
  while (occupied(position)) position = { x: position.x + STACK_OFFSET, y: position.y + STACK_OFFSET };
  return position;
}

/** The given nodes and only the edges that run between two of them. */
export function clipboardOf(nodes: readonly EditorNode[], edges: readonly EditorEdge[], nodeIds: Iterable<string>): Clipboard {
  const ids = new Set(nodeIds);
  return toGraph(
    nodes.filter((node) => ids.has(node.id)),
    edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
  );
}

/**
 * Copies of the clipboard's nodes with fresh ids, moved by `offset`, selected so they can be
 * dragged away at once, and the clipboard's edges re-pointed at the copies. Nodes of a type this
 * editor does not know (a clipboard from elsewhere) are left out, with their edges.
 */
export function pastedElements(
  clipboard: Clipboard,
  takenIds: Iterable<string>,
  offset: number,
): { nodes: EditorNode[]; edges: EditorEdge[] } {
  const taken = new Set(takenIds);
  const newIds = new Map<string, string>();
  const nodes: EditorNode[] = [];
  for (const node of clipboard.nodes) {
    const definition = getNodeDefinition(node.type);
    if (!definition) continue;
    const id = nextNodeId(definition.type, taken);
    taken.add(id);
    newIds.set(node.id, id);
    nodes.push({
      id,
      type: definition.type,
      position: { x: node.position.x + offset, y: node.position.y + offset },
      data: structuredClone(node.data),
      selected: true,
    });
  }
  const edges: EditorEdge[] = [];
  for (const edge of clipboard.edges) {
    const source = newIds.get(edge.source);
    const target = newIds.get(edge.target);
    if (!source || !target) continue;
    const copy = { source, sourceHandle: edge.sourceHandle, target, targetHandle: edge.targetHandle };
    edges.push({ id: edgeId(copy), ...copy });
  }
  return { nodes, edges };
}

/** `Text (product-details)`: how the editor names a node in chips and messages. */
export function nodeDisplayName(node: { id: string; type?: string }): string {
  const label = node.type ? getNodeDefinition(node.type)?.label : undefined;
  return `${label ?? "Node"} (${node.id})`;
}

/** The names of the nodes feeding each input port, by target node id, then port id. */
export type FeedIndex = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/**
 * Every input port's feeding nodes, named for the "← Text (product-details)" chips, in one pass
 * over the edges. A port whose names are the same as in `previous` keeps the same array, so a
 * chip reading it sees nothing new when other parts of the graph change.
 */
export function feedingNodeNames(
  nodes: readonly EditorNode[],
  edges: readonly EditorEdge[],
  previous?: FeedIndex,
): FeedIndex {
  const names = new Map(nodes.map((node) => [node.id, nodeDisplayName(node)]));
  const index = new Map<string, Map<string, string[]>>();
  for (const edge of edges) {
    const ports = index.get(edge.target) ?? new Map<string, string[]>();
    index.set(edge.target, ports);
    const feeds = ports.get(edge.targetHandle) ?? [];
    ports.set(edge.targetHandle, feeds);
    feeds.push(names.get(edge.source) ?? edge.source);
  }
  for (const [nodeId, ports] of index) {
    for (const [portId, feeds] of ports) {
      const before = previous?.get(nodeId)?.get(portId);
      if (before && before.length === feeds.length && before.every((name, at) => name === feeds[at])) {
        ports.set(portId, before as string[]);
      }
    }
  }
  return index;
}

/**
 * The edges with one of a many-edge port's connections moved `offset` places (-1: one earlier).
 * The port's values arrive in edge order (a Concat Videos node joins its clips so), so the order
 * of the edges is what is saved; the other edges keep their places. Null when it cannot move.
 */
export function moveFeed(
  edges: readonly EditorEdge[],
  nodeId: string,
  portId: string,
  index: number,
  offset: -1 | 1,
): EditorEdge[] | null {
  const slots = edges.flatMap((edge, position) => (edge.target === nodeId && edge.targetHandle === portId ? [position] : []));
  const other = index + offset;
  if (index < 0 || index >= slots.length || other < 0 || other >= slots.length) return null;
  const moved = [...edges];
  moved[slots[index]] = edges[slots[other]];
  moved[slots[other]] = edges[slots[index]];
  return moved;
}

/** The node and every node downstream of it, each once, the node first: what a Re-roll runs. */
export function withDownstream(edges: readonly { source: string; target: string }[], nodeId: string): string[] {
  const reached = [nodeId];
  const seen = new Set(reached);
  for (let index = 0; index < reached.length; index++) {
    for (const edge of edges) {
      if (edge.source === reached[index] && !seen.has(edge.target)) {
        seen.add(edge.target);
        reached.push(edge.target);
      }
    }
  }
  return reached;
}
