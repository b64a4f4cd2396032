import type { Edge, Node } from "@xyflow/react";
import type { Graph, GraphEdge, GraphNode } from "~workflow/graph";
import { isNodeType, type NodeType } from "~workflow/nodes/registry";

/**
 * A node's parameters as the person typed them. Usually they match the node type's params
 * schema, but a field being edited may briefly hold a value the schema refuses (an empty number
 * field, say); the node shows why and autosave waits until it is valid.
 */
export type EditorNodeData = Record<string, unknown>;

export type EditorNode = Node<EditorNodeData, NodeType>;

/** Edges always name both ports: the graph format requires them and the connect action checks them. */
export type EditorEdge = Edge & { sourceHandle: string; targetHandle: string };

/**
 * The saved graph as React Flow nodes and edges. Stored graphs passed validateGraph, so every
 * node has a known type; the filter only lets TypeScript see that.
 */
export function toEditorNodes(graph: Graph): EditorNode[] {
  return graph.nodes.flatMap((node) =>
    isNodeType(node.type) ? [{ id: node.id, type: node.type, position: { ...node.position }, data: { ...node.data } }] : [],
  );
}

export function toEditorEdges(graph: Graph): EditorEdge[] {
  return graph.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    targetHandle: edge.targetHandle,
  }));
}

/** What is saved: React Flow's own fields (selection, measured size, dragging) are left behind. */
export function toGraph(nodes: readonly EditorNode[], edges: readonly EditorEdge[]): Graph {
  return {
    nodes: nodes.map(
      (node): GraphNode => ({
        id: node.id,
        type: node.type,
        position: { x: node.position.x, y: node.position.y },
        data: { ...node.data },
      }),
    ),
    edges: edges.map(
      (edge): GraphEdge => ({
        id: edge.id,
        source: edge.source,
        sourceHandle: edge.sourceHandle,
        target: edge.target,
        targetHandle: edge.targetHandle,
      }),
    ),
  };
}

/** Readable and stable: one edge per port pair, so the ports identify it (as in the sample workflow). */
export function edgeId(connection: { source: string; sourceHandle: string; target: string; targetHandle: string }) {
  return `${connection.source}.${connection.sourceHandle}->${connection.target}.${connection.targetHandle}`;
}
