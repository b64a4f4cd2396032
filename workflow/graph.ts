import { z } from "zod";

// The same node/edge shape @xyflow/react uses, so the editor can load and save it without mapping.
// Only structure is checked here; type-specific checks live in validateGraph.

/**
 * Names on every object's prototype: a node called `__proto__` or `constructor` would collide
 * with them wherever ids key a plain object (outputs by node, results by node).
 */
const RESERVED_IDS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Letters, digits and `_ . : -`, starting with a letter or digit; what the editor makes (`crop-image-3`). */
export const NodeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, "Node ids are 1–100 letters, digits, `_`, `.`, `:` or `-`, starting with a letter or digit.")
  .refine((id) => !RESERVED_IDS.has(id), { message: "This node id is a reserved name; choose another." });

export const GraphNodeSchema = z.object({
  id: NodeIdSchema,
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

/**
 * The key in a node's data that marks it "always run fresh": it never takes its outputs from the
 * cache (ADR 016). It sits beside the parameters but is none of them, so it is not part of the
 * node's fingerprint.
 */
export const ALWAYS_FRESH_KEY = "alwaysFresh";

export function isAlwaysFresh(node: Pick<GraphNode, "data">): boolean {
  return Object.hasOwn(node.data, ALWAYS_FRESH_KEY) && node.data[ALWAYS_FRESH_KEY] === true;
}
