import { describe, expect, it } from "vitest";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import { edgeId, toEditorEdges, toEditorNodes, toGraph, type EditorNode } from "./graph-conversion";

describe("graph ↔ React Flow conversion", () => {
  it("round-trips the sample workflow unchanged", () => {
    const graph = sampleWorkflowGraph({ imageAssetId: "asset-1", videoAssetId: "asset-2" });
    expect(toGraph(toEditorNodes(graph), toEditorEdges(graph))).toEqual(graph);
  });

  it("leaves React Flow's own fields out of the saved graph", () => {
    const node: EditorNode = {
      id: "text-1",
      type: "text",
      position: { x: 1, y: 2 },
      data: { text: "hi" },
      selected: true,
      dragging: false,
      measured: { width: 288, height: 150 },
    };
    const graph = toGraph(
      [node],
      [{ id: "e", source: "text-1", sourceHandle: "text", target: "x", targetHandle: "y", selected: true, animated: true }],
    );
    expect(graph).toEqual({
      nodes: [{ id: "text-1", type: "text", position: { x: 1, y: 2 }, data: { text: "hi" } }],
      edges: [{ id: "e", source: "text-1", sourceHandle: "text", target: "x", targetHandle: "y" }],
    });
  });

  it("does not share data objects with the graph it came from", () => {
    const graph = sampleWorkflowGraph();
    const nodes = toEditorNodes(graph);
    nodes[0].data.assetId = "changed";
    nodes[0].position.x = 999;
    expect(graph.nodes[0].data.assetId).toBeNull();
    expect(graph.nodes[0].position.x).toBe(0);
  });

  it("names an edge by its ports", () => {
    expect(edgeId({ source: "a", sourceHandle: "output", target: "b", targetHandle: "images" })).toBe("a.output->b.images");
  });
});
