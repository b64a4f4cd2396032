import { describe, expect, it } from "vitest";
import { validateGraph } from "./graph-validation";
import { sampleWorkflowGraph } from "./sample-workflow";
import { FALLBACK_CATALOG, modelOffer } from "./gemini-models";

describe("sampleWorkflowGraph", () => {
  it("passes validation unchanged", () => {
    const graph = sampleWorkflowGraph({ imageAssetId: "img-1", videoAssetId: "vid-1" });
    expect(validateGraph(graph)).toEqual({ ok: true, graph });
  });

  it("asks a current Gemini model (the shipped list's default)", () => {
    const models = sampleWorkflowGraph()
      .nodes.filter((node) => node.type === "run-llm")
      .map((node) => node.data.model);
    expect(models).toEqual(["gemini-3.6-flash", "gemini-3.6-flash"]);
    for (const model of models) expect(modelOffer(String(model), FALLBACK_CATALOG).status).toBe("offered");
  });

  it("uses the given sample assets, or none", () => {
    const withAssets = sampleWorkflowGraph({ imageAssetId: "img-1", videoAssetId: "vid-1" });
    const dataOf = (graph: typeof withAssets, id: string) => graph.nodes.find((node) => node.id === id)?.data;
    expect(dataOf(withAssets, "product-photo")).toEqual({ assetId: "img-1" });
    expect(dataOf(withAssets, "product-video")).toEqual({ assetId: "vid-1" });
    expect(dataOf(sampleWorkflowGraph(), "product-photo")).toEqual({ assetId: null });
  });

  it("wires the Product Marketing Kit as specified", () => {
    const graph = sampleWorkflowGraph();
    const byId = new Map(graph.nodes.map((node) => [node.id, node]));
    const connections = graph.edges.map((edge) => {
      const label = (id: string) => `${byId.get(id)?.type}:${id}`;
      return `${label(edge.source)}.${edge.sourceHandle} -> ${label(edge.target)}.${edge.targetHandle}`;
    });
    expect(connections.sort()).toEqual(
      [
        "upload-image:product-photo.image -> crop-image:crop-product.image_url",
        "text:copywriter-prompt.text -> run-llm:product-description.system_prompt",
        "text:product-details.text -> run-llm:product-description.user_message",
        "crop-image:crop-product.output -> run-llm:product-description.images",
        "upload-video:product-video.video -> extract-frame:video-frame.video_url",
        "text:social-media-prompt.text -> run-llm:social-media-post.system_prompt",
        "run-llm:product-description.output -> run-llm:social-media-post.user_message",
        "crop-image:crop-product.output -> run-llm:social-media-post.images",
        "extract-frame:video-frame.output -> run-llm:social-media-post.images",
      ].sort(),
    );

    expect(byId.get("crop-product")?.data).toEqual({ x_percent: 10, y_percent: 10, width_percent: 80, height_percent: 80 });
    expect(byId.get("video-frame")?.data).toEqual({ timestamp: "50%" });
    expect(byId.get("copywriter-prompt")?.data.text).toBe(
      "You are a professional marketing copywriter. Generate a compelling one-paragraph product description.",
    );
    expect(byId.get("product-details")?.data.text).toBe(
      "Product: Wireless Bluetooth Headphones. Features: Noise cancellation, 30-hour battery, foldable design.",
    );
    expect(byId.get("social-media-prompt")?.data.text).toBe(
      "You are a social media manager. Create a tweet-length marketing post based on the product image and video frame.",
    );
  });

  it("lays the flow out left to right", () => {
    const graph = sampleWorkflowGraph();
    const x = new Map(graph.nodes.map((node) => [node.id, node.position.x]));
    for (const edge of graph.edges) {
      expect(x.get(edge.source), `${edge.source} -> ${edge.target}`).toBeLessThan(x.get(edge.target) ?? 0);
    }
  });
});
