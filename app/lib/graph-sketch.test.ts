import { describe, expect, it } from "vitest";
import { graphSketch, SKETCH_NODE } from "./graph-sketch";

describe("graphSketch", () => {
  it("frames every node and draws each edge from its source's right side to its target's left side", () => {
    const sketch = graphSketch({
      nodes: [
        { id: "a", x: -100, y: 0 },
        { id: "b", x: 300, y: 400 },
      ],
      edges: [{ source: "a", target: "b" }],
    });
    expect(sketch?.viewBox).toBe(`-100 0 ${400 + SKETCH_NODE.width} ${400 + SKETCH_NODE.height}`);
    expect(sketch?.boxes).toEqual([
      { x: -100, y: 0 },
      { x: 300, y: 400 },
    ]);
    expect(sketch?.lines).toEqual([{ x1: -100 + SKETCH_NODE.width, y1: 100, x2: 300, y2: 500 }]);
  });

  it("skips edges to nodes it was not given, and draws nothing for an empty graph", () => {
    expect(graphSketch({ nodes: [{ id: "a", x: 0, y: 0 }], edges: [{ source: "a", target: "gone" }] })?.lines).toEqual([]);
    expect(graphSketch({ nodes: [], edges: [] })).toBeNull();
  });
});
