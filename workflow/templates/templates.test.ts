import { describe, expect, it } from "vitest";
import { validateGraph } from "../graph-validation";
import { findTemplate, WORKFLOW_TEMPLATES } from "./index";

const ASSETS = { imageAssetId: "img-1", videoAssetId: "vid-1" };

describe("workflow templates", () => {
  it.each(WORKFLOW_TEMPLATES.map((template) => [template.id, template] as const))("%s passes graph validation unchanged", (_, template) => {
    const graph = template.graph(ASSETS);
    expect(validateGraph(graph)).toEqual({ ok: true, graph });
  });

  it("have distinct ids, names and one-line descriptions", () => {
    const ids = WORKFLOW_TEMPLATES.map((template) => template.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(WORKFLOW_TEMPLATES.map((template) => template.name)).size).toBe(ids.length);
    for (const template of WORKFLOW_TEMPLATES) expect(template.description).not.toMatch(/\n/);
  });

  it("put the shipped sample media in every upload node, so a copy runs without uploads", () => {
    for (const template of WORKFLOW_TEMPLATES) {
      for (const node of template.graph(ASSETS).nodes) {
        if (node.type === "upload-image") expect(node.data, `${template.id}/${node.id}`).toEqual({ assetId: "img-1" });
        if (node.type === "upload-video") expect(node.data, `${template.id}/${node.id}`).toEqual({ assetId: "vid-1" });
      }
    }
  });

  it("offers the Product Marketing Kit first and finds templates by id", () => {
    expect(WORKFLOW_TEMPLATES[0].name).toBe("Product Marketing Kit");
    expect(findTemplate("video-highlights")?.name).toBe("Video highlights");
    expect(findTemplate("no-such-template")).toBeUndefined();
  });

  it("lay each flow out left to right", () => {
    for (const template of WORKFLOW_TEMPLATES) {
      const graph = template.graph(ASSETS);
      const x = new Map(graph.nodes.map((node) => [node.id, node.position.x]));
      for (const edge of graph.edges) expect(x.get(edge.source), `${template.id}: ${edge.source}`).toBeLessThan(x.get(edge.target) ?? 0);
    }
  });
});
