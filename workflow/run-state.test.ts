import { describe, expect, it } from "vitest";
import { NodeError } from "./execution";
import { textLimitFor } from "./progress";
import {
  describeFailure,
  downstreamOf,
  finalStatus,
  indexDependencies,
  initialProgress,
  recordOf,
  unstartedResult,
  withNodeProgress,
  type NodeResult,
} from "./run-state";
import { edge, graphOf, llm, node } from "./test-support";

const success = (fields: Partial<NodeResult> = {}): NodeResult => ({
  status: "success",
  inputs: null,
  outputs: { output: "done" },
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  error: null,
  fingerprint: null,
  reused: false,
  cachedFrom: null,
  ...fields,
});

describe("indexDependencies", () => {
  it("counts each feeding node once however many edges join them, and only among executed nodes", () => {
    const edges = [
      edge("a", "output", "b", "user_message"),
      edge("a", "output", "b", "system_prompt"),
      edge("outside", "output", "b", "images"),
      edge("b", "output", "c", "user_message"),
    ];
    const { dependents, inputsPending } = indexDependencies(edges, ["a", "b", "c"]);
    expect(dependents.get("a")).toEqual(["b"]);
    expect(dependents.get("outside")).toBeUndefined();
    expect(Object.fromEntries(inputsPending)).toEqual({ a: 0, b: 1, c: 1 });
  });
});

describe("downstreamOf", () => {
  it("reaches every node below once, and not through nodes it may not reach", () => {
    const dependents = new Map([
      ["a", ["b", "c"]],
      ["b", ["d"]],
      ["c", ["d"]],
      ["x", ["y"]],
    ]);
    expect(downstreamOf("a", dependents, () => true).sort()).toEqual(["b", "c", "d"]);
    expect(downstreamOf("a", dependents, (id) => id !== "b").sort()).toEqual(["c", "d"]);
    expect(downstreamOf("d", dependents, () => true)).toEqual([]);
  });
});

describe("progress", () => {
  it("starts with executed nodes queued and reused nodes as they ended, with a preview", () => {
    const progress = initialProgress({
      runId: "run-1",
      startedAt: "2026-12-03T10:00:00.000Z",
      executeIds: ["b"],
      reused: { a: success({ outputs: { output: "earlier answer" }, durationMs: 5 }) },
      typeOf: () => "run-llm",
      textLimit: textLimitFor(2),
    });
    expect(progress).toMatchObject({ runId: "run-1", status: "running", finishedAt: null, error: null });
    expect(progress.nodes.b.status).toBe("queued");
    expect(progress.nodes.a).toMatchObject({ status: "success", preview: "earlier answer", durationMs: 5 });
  });

  it("changes a node by making a new object, leaving the one already sent as it was", () => {
    const before = initialProgress({
      runId: "run-1",
      startedAt: "2026-12-03T10:00:00.000Z",
      executeIds: ["a"],
      reused: {},
      typeOf: () => "text",
      textLimit: textLimitFor(1),
    });
    const after = withNodeProgress(before, "a", { status: "running" });
    expect(before.nodes.a.status).toBe("queued");
    expect(after.nodes.a.status).toBe("running");
  });
});

describe("finalStatus", () => {
  const graph = graphOf([node("t", "text"), llm("a"), llm("b")]);

  it("is completed when everything succeeded and cancelled when anything was cancelled", () => {
    expect(finalStatus({ t: success(), a: success(), b: success() }, graph)).toBe("completed");
    expect(finalStatus({ t: success(), a: success(), b: unstartedResult("cancelled", null, "now") }, graph)).toBe("cancelled");
  });

  it("does not count source nodes' successes when compute nodes ran", () => {
    const failed = unstartedResult("failed", "boom", "now");
    expect(finalStatus({ t: success(), a: failed, b: unstartedResult("skipped", "x", "now") }, graph)).toBe("failed");
    expect(finalStatus({ t: success(), a: success(), b: failed }, graph)).toBe("partial");
  });
});

describe("recordOf and describeFailure", () => {
  it("writes only the fields a result has", () => {
    expect(recordOf("run-1", "a", unstartedResult("skipped", "Skipped.", "2026-12-03T10:00:00.000Z"))).toEqual({
      runId: "run-1",
      nodeId: "a",
      status: "skipped",
      error: "Skipped.",
      finishedAt: "2026-12-03T10:00:00.000Z",
    });
  });

  it("shows a node's own error as written and labels anything else unexpected", () => {
    expect(describeFailure(new NodeError("Connect an image."))).toBe("Connect an image.");
    expect(describeFailure(new TypeError("x is undefined"))).toBe("Unexpected error: x is undefined");
  });
});
