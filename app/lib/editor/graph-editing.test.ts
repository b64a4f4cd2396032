import { describe, expect, it } from "vitest";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import { toEditorEdges, toEditorNodes } from "./graph-conversion";
import { feedingNodeNames, freePosition, nextNodeId, pastedElements } from "./graph-editing";

describe("nextNodeId", () => {
  it("numbers nodes of a type from 1", () => {
    expect(nextNodeId("crop-image", [])).toBe("crop-image-1");
    expect(nextNodeId("crop-image", ["text-4", "crop-image-1", "crop-image-2"])).toBe("crop-image-3");
  });

  it("continues after the highest number, even with gaps", () => {
    expect(nextNodeId("text", ["text-1", "text-7"])).toBe("text-8");
  });

  it("is not confused by ids of other types that share a prefix", () => {
    expect(nextNodeId("text", ["text-node-5", "context-3"])).toBe("text-1");
  });
});

describe("freePosition", () => {
  it("keeps a free spot", () => {
    expect(freePosition([{ position: { x: 0, y: 0 } }], { x: 100, y: 0 })).toEqual({ x: 100, y: 0 });
  });

  it("steps diagonally past occupied spots", () => {
    const nodes = [{ position: { x: 0, y: 0 } }, { position: { x: 33, y: 30 } }];
    expect(freePosition(nodes, { x: 0, y: 0 })).toEqual({ x: 64, y: 64 });
  });
});

describe("pastedElements", () => {
  it("skips nodes of unknown types and the edges that touch them", () => {
    const pasted = pastedElements(
      {
        nodes: [
          { id: "a", type: "text", position: { x: 0, y: 0 }, data: { text: "a" } },
          { id: "b", type: "mystery", position: { x: 0, y: 0 }, data: {} },
        ],
        edges: [{ id: "e", source: "a", sourceHandle: "text", target: "b", targetHandle: "in" }],
      },
      ["text-1"],
      40,
    );
    expect(pasted.nodes.map((node) => node.id)).toEqual(["text-2"]);
    expect(pasted.edges).toEqual([]);
  });
});

describe("feedingNodeNames", () => {
  it("names the nodes feeding each port by label and id", () => {
    const graph = sampleWorkflowGraph();
    const feeds = feedingNodeNames(toEditorNodes(graph), toEditorEdges(graph));
    expect(feeds.get("product-description")?.get("user_message")).toEqual(["Text (product-details)"]);
    expect(feeds.get("social-media-post")?.get("images")).toEqual([
      "Crop Image (crop-product)",
      "Extract Frame (video-frame)",
    ]);
    expect(feeds.get("crop-product")?.get("x_percent")).toBeUndefined();
  });

  it("keeps a port's names as they were when they did not change", () => {
    const graph = sampleWorkflowGraph();
    const nodes = toEditorNodes(graph);
    const edges = toEditorEdges(graph);
    const before = feedingNodeNames(nodes, edges);
    // A node measured or moved: the names stay, and so do the arrays holding them.
    const moved = nodes.map((node) => ({ ...node, measured: { width: 288, height: 200 } }));
    const after = feedingNodeNames(moved, edges, before);
    expect(after.get("social-media-post")?.get("images")).toBe(before.get("social-media-post")?.get("images"));
    // An edge removed: that port's names change, the others' stay.
    const fewer = feedingNodeNames(nodes, edges.filter((edge) => edge.source !== "video-frame"), before);
    expect(fewer.get("social-media-post")?.get("images")).toEqual(["Crop Image (crop-product)"]);
    expect(fewer.get("product-description")?.get("user_message")).toBe(before.get("product-description")?.get("user_message"));
  });
});
