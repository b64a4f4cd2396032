import { graphSketch, SKETCH_NODE, type SketchInput } from "~/lib/graph-sketch";

/** A workflow's shape in miniature: its nodes as boxes where they sit, its edges as lines. */
export function GraphSketch({ graph, className = "" }: { graph: SketchInput; className?: string }) {
  const sketch = graphSketch(graph);
  return (
    <svg
      role="img"
      aria-label={`Sketch of ${graph.nodes.length === 1 ? "1 node" : `${graph.nodes.length} nodes`}`}
      viewBox={sketch?.viewBox ?? "0 0 1 1"}
      preserveAspectRatio="xMidYMid meet"
      className={`rounded-md border border-line bg-canvas ${className}`}
    >
      {sketch?.lines.map((line, index) => (
        <line key={`l${index}`} {...line} stroke="#8b5cf6" strokeOpacity={0.6} strokeWidth={16} />
      ))}
      {sketch?.boxes.map((box, index) => (
        <rect
          key={`b${index}`}
          x={box.x}
          y={box.y}
          width={SKETCH_NODE.width}
          height={SKETCH_NODE.height}
          rx={24}
          fill="#27272f"
          stroke="#52525b"
          strokeWidth={8}
        />
      ))}
    </svg>
  );
}
