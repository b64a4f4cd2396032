/** Enough of a graph to draw it small: where its nodes are and what connects them. */
export interface SketchInput {
  nodes: { id: string; x: number; y: number }[];
  edges: { source: string; target: string }[];
}

export interface Sketch {
  viewBox: string;
  boxes: { x: number; y: number }[];
  lines: { x1: number; y1: number; x2: number; y2: number }[];
}

/** A node's footprint in canvas units: the width nodes are drawn at, a typical height. */
export const SKETCH_NODE = { width: 288, height: 200 } as const;

/**
 * The graph as boxes and lines in canvas units (the SVG's viewBox scales it into any size),
 * each line from the right edge of its source to the left edge of its target, as edges run.
 */
export function graphSketch({ nodes, edges }: SketchInput): Sketch | null {
  if (nodes.length === 0) return null;
  const minX = Math.min(...nodes.map((node) => node.x));
  const minY = Math.min(...nodes.map((node) => node.y));
  const maxX = Math.max(...nodes.map((node) => node.x)) + SKETCH_NODE.width;
  const maxY = Math.max(...nodes.map((node) => node.y)) + SKETCH_NODE.height;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const lines = edges.flatMap((edge) => {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) return [];
    const middle = SKETCH_NODE.height / 2;
    return [{ x1: source.x + SKETCH_NODE.width, y1: source.y + middle, x2: target.x, y2: target.y + middle }];
  });
  return {
    viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`,
    boxes: nodes.map((node) => ({ x: node.x, y: node.y })),
    lines,
  };
}
