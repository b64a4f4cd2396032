import { describe, expect, it } from "vitest";
import { sampleWorkflowGraph, SAMPLE_WORKFLOW_NAME } from "~workflow/sample-workflow";
import {
  parseWorkflowDocument,
  toWorkflowDocument,
  workflowFileName,
  WorkflowDocumentSchema,
} from "./workflow-document";

/** What an exported file looks like after a trip through disk. */
function exported(name = SAMPLE_WORKFLOW_NAME, graph = sampleWorkflowGraph()): Record<string, unknown> {
  return JSON.parse(JSON.stringify(toWorkflowDocument(name, graph)));
}

describe("toWorkflowDocument", () => {
  it("writes the envelope, the name and the graph, and nothing that identifies an account", () => {
    const document = toWorkflowDocument("Kit", sampleWorkflowGraph(), new Date("2026-01-02T03:04:05.000Z"));
    expect(WorkflowDocumentSchema.parse(document)).toEqual(document);
    expect(Object.keys(document).sort()).toEqual(["edges", "exportedAt", "format", "formatVersion", "name", "nodes"]);
    expect(document).toMatchObject({ format: "weft.workflow", formatVersion: 1, exportedAt: "2026-01-02T03:04:05.000Z" });
  });
});

describe("parseWorkflowDocument", () => {
  it("reads back exactly the exported name and graph", () => {
    const graph = sampleWorkflowGraph({ imageAssetId: "asset-1" });
    expect(parseWorkflowDocument(exported("Round trip", graph))).toEqual({ ok: true, name: "Round trip", graph });
  });

  it("trims the name and accepts a file without exportedAt", () => {
    const { exportedAt: _exportedAt, ...document } = exported("  Spaced  ");
    const result = parseWorkflowDocument(document);
    expect(result).toMatchObject({ ok: true, name: "Spaced" });
  });

  it("refuses JSON that is not a Weft workflow file", () => {
    expect(parseWorkflowDocument({ nodes: [], edges: [] })).toEqual({
      ok: false,
      problems: [
        { code: "not_a_workflow", message: 'This is not a Weft workflow file (missing format "weft.workflow").' },
      ],
    });
    expect(parseWorkflowDocument([1, 2])).toMatchObject({ ok: false, problems: [{ code: "not_a_workflow" }] });
    expect(parseWorkflowDocument(null)).toMatchObject({ ok: false, problems: [{ code: "not_a_workflow" }] });
  });

  it("refuses a file from a newer format version, saying so", () => {
    const result = parseWorkflowDocument({ ...exported(), formatVersion: 2 });
    expect(result).toMatchObject({
      ok: false,
      problems: [
        { code: "unsupported_format_version", message: expect.stringContaining("formatVersion 2 is newer than this Weft understands") },
      ],
    });
  });

  it("refuses a missing or nonsensical formatVersion", () => {
    const { formatVersion: _formatVersion, ...withoutVersion } = exported();
    expect(parseWorkflowDocument(withoutVersion)).toMatchObject({
      ok: false,
      problems: [{ code: "unsupported_format_version" }],
    });
    expect(parseWorkflowDocument({ ...exported(), formatVersion: "1" })).toMatchObject({ ok: false });
  });

  it("returns the graph validator's problems for an invalid graph, together with a bad name", () => {
    const document = exported();
    const nodes = document.nodes as { id: string }[];
    const result = parseWorkflowDocument({
      ...document,
      name: "   ",
      edges: [{ id: "e1", source: "ghost", sourceHandle: "text", target: nodes[0].id, targetHandle: "x" }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.code)).toEqual(["invalid_name", "dangling_edge"]);
    expect(result.problems[0].message).toContain("Give the workflow a name.");
    expect(result.problems[1]).toMatchObject({ edgeId: "e1", message: expect.stringContaining('"ghost"') });
  });

  it("reports missing node and edge lists", () => {
    const result = parseWorkflowDocument({ format: "weft.workflow", formatVersion: 1, name: "Empty" });
    expect(result).toMatchObject({ ok: false, problems: [{ code: "invalid_shape" }, { code: "invalid_shape" }] });
  });

  it("applies the graph limits it is given", () => {
    const result = parseWorkflowDocument(exported(), { maxNodes: 3 });
    expect(result).toMatchObject({ ok: false, problems: [{ code: "too_large" }] });
  });
});

describe("workflowFileName", () => {
  it("makes a readable ASCII file name from any workflow name", () => {
    expect(workflowFileName("Product Marketing Kit")).toBe("product-marketing-kit.weft.json");
    expect(workflowFileName('Crème brûlée: "v2" / final')).toBe("creme-brulee-v2-final.weft.json");
    expect(workflowFileName("ワークフロー")).toBe("workflow.weft.json");
  });
});
