import type { GraphEdge, GraphNode } from "../graph";
import { NODE_DEFINITIONS, type InputPortId, type NodeParams, type NodeType, type OutputPortId } from "../nodes/registry";

// How templates spell their graphs: nodes' params go through the registry's schemas (defaults
// filled in) and edges are typed by the nodes' port ids, so a renamed port or param is a compile
// error in the template rather than a template that no longer runs.

export type TypedNode<T extends NodeType> = GraphNode & { type: T };

export function node<T extends NodeType>(
  id: string,
  type: T,
  x: number,
  y: number,
  params: Partial<NodeParams<T>>,
): TypedNode<T> {
  return { id, type, position: { x, y }, data: NODE_DEFINITIONS[type].params.parse(params) };
}

export function edge<S extends NodeType, T extends NodeType>(
  source: TypedNode<S>,
  sourceHandle: OutputPortId<S>,
  target: TypedNode<T>,
  targetHandle: InputPortId<T>,
): GraphEdge {
  return {
    id: `${source.id}.${sourceHandle}->${target.id}.${targetHandle}`,
    source: source.id,
    sourceHandle,
    target: target.id,
    targetHandle,
  };
}
