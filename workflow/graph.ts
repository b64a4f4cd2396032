import { z } from "zod";

// The same node/edge shape @xyflow/react uses, so the editor can load and save it without mapping.
// Only structure is checked here; type-specific checks live in validateGraph.

export const GraphNodeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  position: z.object({ x: z.number(), y: z.number() }),
  /** The node's parameters, keyed by parameter name. */
  data: z.record(z.string(), z.unknown()),
});

export const GraphEdgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  /** Id of an output port of the source node. */
  sourceHandle: z.string().min(1),
  target: z.string().min(1),
  /** Id of an input port of the target node. */
  targetHandle: z.string().min(1),
});

export const GraphSchema = z.object({
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
});

export type GraphNode = z.infer<typeof GraphNodeSchema>;
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;
export type Graph = z.infer<typeof GraphSchema>;
