import { describe, expect, it } from "vitest";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import { toWorkflowDocument } from "~/lib/workflow-document";
import { readWorkflowFile } from "./import-file";

describe("readWorkflowFile", () => {
  it("reads an exported document back to the same graph", () => {
    const graph = sampleWorkflowGraph();
    const text = JSON.stringify(toWorkflowDocument("Kit", graph), null, 2);
    expect(readWorkflowFile("kit.weft.json", text)).toEqual({ ok: true, graph });
  });

  it("explains a file that is not JSON", () => {
    const result = readWorkflowFile("notes.json", "{ nope");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatch(/^notes\.json is not valid JSON: /);
  });

  it("lists every problem of a broken graph instead of loading it", () => {
    const document = toWorkflowDocument("Kit", sampleWorkflowGraph());
    document.nodes[1].data = { ...document.nodes[1].data, width_percent: 500 };
    document.edges.push({ id: "bad", source: "product-photo", sourceHandle: "image", target: "product-details", targetHandle: "text" });
    const result = readWorkflowFile("kit.json", JSON.stringify(document));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toContain("width_percent must be at most 100");
    expect(result.problems[1]).toContain('Connection "bad"');
  });
});
