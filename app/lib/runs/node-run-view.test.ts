import { describe, expect, it } from "vitest";
import type { NodeProgress, RunProgress } from "~workflow/run-progress";
import type { RunDetail, NodeExecution } from "./run-schemas";
import { endedNodeCount, keepUnchangedViews, nodeResultDisplay, nodeRunViews, type NodeRunView } from "./node-run-view";

const image = { kind: "image" as const, assetId: "a1", url: "/files/a1", mime: "image/png", sha256: "00" };

function progressOf(nodes: Record<string, Partial<NodeProgress> & Pick<NodeProgress, "status">>): RunProgress {
  const full: Record<string, NodeProgress> = {};
  for (const [id, node] of Object.entries(nodes)) {
    full[id] = { startedAt: null, finishedAt: null, durationMs: null, preview: null, error: null, cached: false, cachedFromRunId: null, ...node };
  }
  return { version: 1, runId: "run_1", status: "running", startedAt: null, finishedAt: null, nodes: full, error: null };
}

function record(nodeId: string, fields: Partial<NodeExecution> & Pick<NodeExecution, "status">): NodeExecution {
  return { nodeId, nodeType: "run-llm", inputs: null, outputs: null, error: null, fingerprint: null, startedAt: null, finishedAt: null, durationMs: null, cachedFromExecutionId: null, cachedFromRunId: null, usage: null, costUsd: null, ...fields };
}

function detailOf(nodes: NodeExecution[]): RunDetail {
  return {
    id: "run_1",
    workflowId: "wf",
    status: "running",
    scope: "full",
    requestedNodeIds: [],
    createdAt: new Date(),
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    retryOfId: null,
    costUsd: 0,
    nodes,
  };
}

function view(fields: Partial<NodeRunView> & Pick<NodeRunView, "status">): NodeRunView {
  return { error: null, preview: null, outputs: null, durationMs: null, startedAt: null, cached: false, cachedFromRunId: null, cost: null, ...fields };
}

describe("nodeRunViews", () => {
  it("takes status, preview and error from the live progress, and outputs from records that agree", () => {
    const progress = progressOf({
      crop: { status: "success", preview: "/files/a1", durationMs: 120 },
      answer: { status: "running", preview: "Once upon" },
      post: { status: "queued" },
    });
    // The records are older: they have not seen "answer" start yet.
    const detail = detailOf([
      record("crop", { status: "success", outputs: { output: image }, durationMs: 120 }),
      record("answer", { status: "queued" }),
      record("post", { status: "queued" }),
    ]);
    expect(nodeRunViews(progress, detail)).toEqual({
      crop: view({ status: "success", preview: "/files/a1", outputs: { output: image }, durationMs: 120 }),
      answer: view({ status: "running", preview: "Once upon" }),
      post: view({ status: "queued" }),
    });
  });

  it("shows an LLM node's streamed text, whole, while it runs and until its record loads", () => {
    const long = "word ".repeat(200);
    const progress = progressOf({
      a: { status: "running" },
      b: { status: "success", preview: `${long.slice(0, 399)}…` },
      c: { status: "failed", error: "Gemini said no" },
    });
    const views = nodeRunViews(progress, null, { a: "Once upon", b: long, c: "half an answer" });
    expect(views.a.preview).toBe("Once upon");
    expect(views.b.preview).toBe(long);
    // A failed node shows its error, not what it said before failing.
    expect(views.c).toMatchObject({ preview: null, error: "Gemini said no" });
  });

  it("goes by records that say the run ended, over a feed that has not caught up", () => {
    const progress = progressOf({ a: { status: "running" } });
    const ended = { ...detailOf([record("a", { status: "success", outputs: { output: "Done" } })]), status: "completed" as const };
    expect(nodeRunViews(progress, ended, { a: "Do" }).a).toMatchObject({ status: "success", outputs: { output: "Done" } });
  });

  it("never shows outputs of an earlier attempt of a node that runs again", () => {
    const progress = progressOf({ answer: { status: "running", preview: "New" } });
    const detail = detailOf([record("answer", { status: "success", outputs: { output: "Old" } })]);
    expect(nodeRunViews(progress, detail).answer.outputs).toBeNull();
  });

  it("shows a run from its records alone when no progress came (loaded after it ended)", () => {
    const detail = detailOf([
      record("answer", { status: "success", outputs: { output: "Done." }, durationMs: 900 }),
      record("post", { status: "skipped", error: "Skipped because Run LLM \"answer\" failed." }),
    ]);
    expect(nodeRunViews(null, detail)).toEqual({
      answer: view({ status: "success", outputs: { output: "Done." }, durationMs: 900 }),
      post: view({ status: "skipped", error: "Skipped because Run LLM \"answer\" failed." }),
    });
  });
});

describe("endedNodeCount", () => {
  it("counts nodes that reached a final state", () => {
    const progress = progressOf({
      a: { status: "success" },
      b: { status: "failed" },
      c: { status: "skipped" },
      d: { status: "running" },
      e: { status: "queued" },
      f: { status: "cancelled" },
    });
    expect(endedNodeCount(progress)).toBe(4);
    expect(endedNodeCount(null)).toBe(0);
  });
});

describe("nodeResultDisplay", () => {
  it("shows an LLM's text growing while it runs, then its full output", () => {
    expect(nodeResultDisplay("run-llm", view({ status: "running", preview: "Once" }))).toEqual({ kind: "text", text: "Once", live: true });
    expect(nodeResultDisplay("run-llm", view({ status: "success", preview: "Once upon…" }))).toEqual({
      kind: "text",
      text: "Once upon…",
      live: false,
    });
    expect(nodeResultDisplay("run-llm", view({ status: "success", preview: "Once upon…", outputs: { output: "Once upon a time." } }))).toEqual({
      kind: "text",
      text: "Once upon a time.",
      live: false,
    });
  });

  it("shows nothing for a node that failed, waits or was skipped (the error says why)", () => {
    expect(nodeResultDisplay("run-llm", view({ status: "failed", error: "API key not valid." }))).toBeNull();
    expect(nodeResultDisplay("run-llm", view({ status: "queued" }))).toBeNull();
    expect(nodeResultDisplay("run-llm", null)).toBeNull();
  });

  it("shows crop and frame outputs as images, from the preview until the records load", () => {
    expect(nodeResultDisplay("crop-image", view({ status: "success", preview: "/files/a1" }))).toEqual({ kind: "image", url: "/files/a1" });
    expect(nodeResultDisplay("extract-frame", view({ status: "success", outputs: { output: image } }))).toEqual({ kind: "image", url: "/files/a1" });
    expect(nodeResultDisplay("crop-image", view({ status: "running" }))).toBeNull();
  });

  it("adds nothing to source nodes, which show their own value", () => {
    expect(nodeResultDisplay("text", view({ status: "success", preview: "Hello", outputs: { text: "Hello" } }))).toBeNull();
    expect(nodeResultDisplay("upload-image", view({ status: "success", outputs: { image } }))).toBeNull();
  });
});

describe("keepUnchangedViews", () => {
  it("keeps the earlier object of every node whose view did not change", () => {
    const previous = {
      crop: view({ status: "success", outputs: { output: image } }),
      answer: view({ status: "running", preview: "Once" }),
      post: view({ status: "queued" }),
    };
    const next = {
      // Equal, though loaded again (new objects).
      crop: view({ status: "success", outputs: { output: { ...image } } }),
      answer: view({ status: "running", preview: "Once upon" }),
      post: view({ status: "queued" }),
      extra: view({ status: "queued" }),
    };
    const shared = keepUnchangedViews(previous, next);
    expect(shared.crop).toBe(previous.crop);
    expect(shared.post).toBe(previous.post);
    expect(shared.answer).toBe(next.answer);
    expect(shared.extra).toBe(next.extra);
    expect(shared).toEqual(next);
  });

  it("sees changed outputs, durations and errors", () => {
    const before = view({ status: "success", outputs: { output: "A" }, durationMs: 10 });
    expect(keepUnchangedViews({ a: before }, { a: { ...before, outputs: { output: "B" } } }).a).not.toBe(before);
    expect(keepUnchangedViews({ a: before }, { a: { ...before, outputs: { output: "A", extra: 1 } } }).a).not.toBe(before);
    expect(keepUnchangedViews({ a: before }, { a: { ...before, durationMs: 11 } }).a).not.toBe(before);
    expect(keepUnchangedViews({ a: before }, { a: { ...before, outputs: null } }).a).not.toBe(before);
    expect(keepUnchangedViews({ a: before }, { a: { ...before, outputs: { output: image } } }).a).not.toBe(before);
  });
});
