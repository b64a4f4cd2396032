import { describe, expect, it } from "vitest";
import { sampleWorkflowGraph } from "./sample-workflow";
import { planRun, retryPlan, type PreviousNodeResult } from "./plan";
import { edge, graphOf, llm, media, node } from "./test-support";

/**
 * prompt (text) → llm-1 → llm-2 ; photo (upload) → crop → llm-2.images ; lonely (unconnected)
 */
function workflow() {
  return graphOf(
    [
      node("prompt", "text", { text: "Describe the product" }),
      node("photo", "upload-image", { assetId: "asset-photo" }),
      llm("llm-1", ""),
      node("crop", "crop-image"),
      llm("llm-2", ""),
      llm("lonely"),
    ],
    [
      edge("prompt", "text", "llm-1", "user_message"),
      edge("photo", "image", "crop", "image_url"),
      edge("llm-1", "output", "llm-2", "user_message"),
      edge("crop", "output", "llm-2", "images"),
    ],
  );
}

const latest = {
  "llm-1": { output: "An earlier description" },
  crop: { output: media("earlier-crop") },
  prompt: { text: "an old prompt" },
  photo: { image: media("old-photo") },
};

describe("planRun", () => {
  it("executes every node in full scope, in graph order, reusing nothing", () => {
    const result = planRun({ graph: workflow(), scope: "full", latestOutputs: latest });
    expect(result).toEqual({
      ok: true,
      plan: {
        executeNodeIds: ["prompt", "photo", "llm-1", "crop", "llm-2", "lonely"],
        reusedNodes: {},
        upstreamOutputs: {},
      },
    });
  });

  it("runs a single node on the latest outputs of the compute nodes feeding it", () => {
    const result = planRun({ graph: workflow(), scope: "single", nodeIds: ["llm-2"], latestOutputs: latest });
    expect(result).toEqual({
      ok: true,
      plan: {
        executeNodeIds: ["llm-2"],
        reusedNodes: {},
        upstreamOutputs: { "llm-1": latest["llm-1"], crop: latest.crop },
      },
    });
  });

  it("executes source nodes feeding the selection for their current values, never their old outputs", () => {
    const result = planRun({ graph: workflow(), scope: "selected", nodeIds: ["llm-1", "crop"], latestOutputs: latest });
    expect(result).toEqual({
      ok: true,
      plan: { executeNodeIds: ["prompt", "photo", "llm-1", "crop"], reusedNodes: {}, upstreamOutputs: {} },
    });
  });

  it("needs no outputs for upstream nodes that are inside the selection", () => {
    const result = planRun({ graph: workflow(), scope: "selected", nodeIds: ["crop", "llm-1", "llm-2"], latestOutputs: {} });
    expect(result.ok && result.plan.executeNodeIds).toEqual(["prompt", "photo", "llm-1", "crop", "llm-2"]);
  });

  it("refuses a run whose upstream compute node has never succeeded, naming it", () => {
    const result = planRun({
      graph: workflow(),
      scope: "single",
      nodeIds: ["llm-2"],
      latestOutputs: { crop: latest.crop },
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          code: "missing_upstream_output",
          nodeId: "llm-1",
          message: 'Run LLM "llm-1" has no successful output yet; run it first or include it in the selection.',
        },
      ],
    });
  });

  it("treats latest outputs lacking the connected port as missing", () => {
    const result = planRun({ graph: workflow(), scope: "single", nodeIds: ["llm-2"], latestOutputs: { ...latest, crop: { other: "x" } } });
    expect(result.ok ? [] : result.problems.map((problem) => problem.nodeId)).toEqual(["crop"]);
  });

  it("refuses ids that are not in the workflow", () => {
    const result = planRun({ graph: workflow(), scope: "selected", nodeIds: ["llm-1", "ghost"], latestOutputs: latest });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          code: "unknown_node",
          nodeId: "ghost",
          message: 'This workflow has no node "ghost"; it may have been deleted. Reload the workflow and try again.',
        },
      ],
    });
  });

  it("takes exactly one id for a single-node run and at least one for a selection", () => {
    const codes = (nodeIds: string[], scope: "single" | "selected") => {
      const result = planRun({ graph: workflow(), scope, nodeIds, latestOutputs: latest });
      return result.ok ? [] : result.problems.map((problem) => problem.code);
    };
    expect(codes([], "single")).toEqual(["invalid_scope"]);
    expect(codes(["llm-1", "crop"], "single")).toEqual(["invalid_scope"]);
    expect(codes([], "selected")).toEqual(["invalid_scope"]);
    expect(codes(["llm-1", "llm-1"], "single")).toEqual([]);
  });

  it("refuses an empty workflow", () => {
    const result = planRun({ graph: graphOf([]), scope: "full", latestOutputs: {} });
    expect(result.ok ? null : result.problems[0].message).toBe("The workflow has no nodes to run. Add a node first.");
  });

  it("refuses an invalid graph with the validator's explanation", () => {
    const graph = graphOf([llm("a"), llm("b")], [edge("a", "output", "b", "user_message"), edge("b", "output", "a", "user_message")]);
    const result = planRun({ graph, scope: "full", latestOutputs: {} });
    expect(result.ok ? [] : result.problems.map((problem) => problem.code)).toEqual(["cycle"]);
  });

  it("plans the sample workflow whole", () => {
    const result = planRun({ graph: sampleWorkflowGraph(), scope: "full", latestOutputs: {} });
    expect(result.ok && result.plan.executeNodeIds).toHaveLength(9);
  });
});

describe("retryPlan", () => {
  const success = (outputs: Record<string, string>): PreviousNodeResult => ({
    status: "success",
    outputs,
    inputs: {},
    fingerprint: "f",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
    durationMs: 1000,
  });

  it("re-executes what did not succeed and keeps the rest", () => {
    const result = retryPlan({
      graph: workflow(),
      results: {
        prompt: success({ text: "Describe the product" }),
        photo: { status: "failed", outputs: null },
        "llm-1": success({ output: "A description" }),
        crop: { status: "skipped", outputs: null },
        "llm-2": { status: "cancelled", outputs: null },
        lonely: success({ output: "fine" }),
      },
    });
    expect(result.ok && result.plan.executeNodeIds).toEqual(["photo", "crop", "llm-2"]);
    expect(result.ok && Object.keys(result.plan.reusedNodes)).toEqual(["prompt", "llm-1", "lonely"]);
    expect(result.ok && result.plan.reusedNodes["llm-1"]).toEqual({ ...success({ output: "A description" }), status: undefined });
  });

  it("resumes an interrupted run by re-executing its unfinished nodes", () => {
    const result = retryPlan({
      graph: workflow(),
      results: {
        prompt: success({ text: "Describe the product" }),
        "llm-1": { status: "running", outputs: null },
      },
    });
    expect(result.ok && result.plan).toEqual({
      executeNodeIds: ["llm-1"],
      reusedNodes: { prompt: expect.objectContaining({ outputs: { text: "Describe the product" } }) },
      upstreamOutputs: {},
    });
  });

  it("takes upstream outputs for compute nodes outside the earlier run", () => {
    const results = { "llm-2": { status: "failed", outputs: null } } as const;
    const refused = retryPlan({ graph: workflow(), results });
    expect(refused.ok ? [] : refused.problems.map((problem) => problem.nodeId)).toEqual(["llm-1", "crop"]);

    const accepted = retryPlan({ graph: workflow(), results, upstreamOutputs: latest });
    expect(accepted.ok && accepted.plan.upstreamOutputs).toEqual({ "llm-1": latest["llm-1"], crop: latest.crop });
  });

  it("has nothing to retry when every node succeeded", () => {
    const result = retryPlan({ graph: workflow(), results: { lonely: success({ output: "fine" }) } });
    expect(result).toEqual({
      ok: false,
      problems: [{ code: "nothing_to_retry", message: "Every node of this run succeeded; there is nothing to retry." }],
    });
  });
});
