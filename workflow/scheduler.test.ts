import { describe, expect, it } from "vitest";
import type { Graph } from "./graph";
import { PREVIEW_MAX_CHARS, RunProgressSchema } from "./run-progress";
import { sampleWorkflowGraph } from "./sample-workflow";
import { executeRun, type ExecuteRunOptions } from "./scheduler";
import { planRun, retryPlan, type RunPlan } from "./plan";
import { edge, FakeHost, graphOf, llm, media, node, settle, untilAborted } from "./test-support";
import { type NodeOutputs } from "./values";
import { NodeError } from "./execution";

function planFor(graph: Graph, scope: "full" | "selected" | "single" = "full", nodeIds?: string[], latestOutputs: Record<string, NodeOutputs> = {}): RunPlan {
  const result = planRun({ graph, scope, nodeIds, latestOutputs });
  if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join("\n"));
  return result.plan;
}

function run(graph: Graph, host: FakeHost, options: Partial<ExecuteRunOptions> = {}) {
  return executeRun({ runId: "run-1", graph, plan: options.plan ?? planFor(graph), host, ...options });
}

/** A → B, A → C, B and C → D. */
function diamond(): Graph {
  return graphOf(
    [llm("a"), llm("b"), llm("c"), llm("d")],
    [
      edge("a", "output", "b", "user_message"),
      edge("a", "output", "c", "user_message"),
      edge("b", "output", "d", "system_prompt"),
      edge("c", "output", "d", "user_message"),
    ],
  );
}

describe("dataflow scheduling", () => {
  it("starts the join of a diamond only after both of its inputs succeeded, with their outputs", async () => {
    const host = new FakeHost();
    const b = host.hold("b");
    const c = host.hold("c");
    const running = run(diamond(), host);

    await Promise.all([host.started("b"), host.started("c")]);
    expect(host.hasStarted("d")).toBe(false);
    b.resolve({ output: "from b" });
    await settle();
    expect(host.hasStarted("d")).toBe(false);
    c.resolve({ output: "from c" });

    const result = await running;
    expect(result.status).toBe("completed");
    expect(host.log.indexOf("start:d")).toBeGreaterThan(host.log.indexOf("end:b"));
    expect(host.log.indexOf("start:d")).toBeGreaterThan(host.log.indexOf("end:c"));
    const d = await host.started("d");
    expect(d.inputs).toMatchObject({ system_prompt: "from b", user_message: "from c" });
    expect(d.params).toMatchObject({ system_prompt: "from b", user_message: "from c" });
    expect(result.nodes.d).toMatchObject({ status: "success", outputs: { output: "d answered" } });
  });

  it("fans out to parallel branches and fans their outputs back in, in connection order", async () => {
    const graph = graphOf(
      [node("photo", "upload-image", { assetId: "asset-photo" }), node("crop1", "crop-image"), node("crop2", "crop-image"), node("crop3", "crop-image"), llm("describe")],
      [
        edge("photo", "image", "crop1", "image_url"),
        edge("photo", "image", "crop2", "image_url"),
        edge("photo", "image", "crop3", "image_url"),
        edge("crop1", "output", "describe", "images"),
        edge("crop2", "output", "describe", "images"),
        edge("crop3", "output", "describe", "images"),
      ],
    );
    const host = new FakeHost();
    const crops = ["crop1", "crop2", "crop3"].map((id) => host.hold(id));
    const running = run(graph, host);

    const requests = await Promise.all(["crop1", "crop2", "crop3"].map((id) => host.started(id)));
    expect(host.maxInFlight).toBe(3);
    expect(requests.map((request) => request.inputs.image_url)).toEqual(Array(3).fill(media("upload-photo")));
    // Finishing in reverse order must not reorder the images the LLM receives.
    for (const crop of [...crops].reverse()) {
      expect(host.hasStarted("describe")).toBe(false);
      crop.resolve();
      await settle();
    }

    const result = await running;
    expect(result.status).toBe("completed");
    const describeRequest = await host.started("describe");
    expect(describeRequest.inputs.images).toEqual([media("output-crop1"), media("output-crop2"), media("output-crop3")]);
  });

  it("starts a dependent as soon as its own input is done, while an unrelated branch is still busy", async () => {
    const graph = graphOf([llm("a"), llm("b"), llm("slow")], [edge("a", "output", "b", "user_message")]);
    const host = new FakeHost();
    const slow = host.hold("slow");
    const running = run(graph, host);

    await host.started("b");
    await settle();
    expect(host.log).toContain("end:b");
    expect(host.log).not.toContain("end:slow");
    slow.resolve();
    expect((await running).status).toBe("completed");
    expect(host.log.indexOf("end:b")).toBeLessThan(host.log.indexOf("end:slow"));
  });

  it("never runs more executions at once than the concurrency limit", async () => {
    const graph = graphOf(Array.from({ length: 10 }, (_, index) => llm(`n${index}`)));
    const host = new FakeHost();
    const holds = graph.nodes.map((graphNode) => host.hold(graphNode.id));
    const running = run(graph, host, { concurrency: 3 });

    await settle();
    expect(host.requests).toHaveLength(3);
    for (const hold of holds) {
      hold.resolve();
      await settle();
      expect(host.maxInFlight).toBeLessThanOrEqual(3);
    }
    const result = await running;
    expect(result.status).toBe("completed");
    expect(host.requests).toHaveLength(10);
    expect(host.maxInFlight).toBe(3);
  });

  it("refuses a concurrency below one", async () => {
    await expect(run(diamond(), new FakeHost(), { concurrency: 0 })).rejects.toThrow(RangeError);
  });

  it("ends nodes whose connections form a loop instead of waiting forever", async () => {
    const graph = graphOf([llm("a"), llm("b"), llm("free")], [edge("a", "output", "b", "user_message"), edge("b", "output", "a", "user_message")]);
    const host = new FakeHost();
    const plan: RunPlan = { executeNodeIds: ["a", "b", "free"], reusedNodes: {}, upstreamOutputs: {} };
    const result = await run(graph, host, { plan });
    expect(result.status).toBe("partial");
    expect(result.nodes.a).toMatchObject({ status: "failed", error: 'Run LLM "a" could not start: its inputs form a loop.' });
    expect(host.executedNodeIds()).toEqual(["free"]);
  });
});

describe("failures", () => {
  it("skips everything downstream of a failed node while the other branch completes: partial", async () => {
    const graph = graphOf(
      [llm("x1"), llm("x2"), llm("x3"), llm("y1"), llm("y2")],
      [edge("x1", "output", "x2", "user_message"), edge("x2", "output", "x3", "user_message"), edge("y1", "output", "y2", "user_message")],
    );
    const host = new FakeHost();
    host.fail("x1", new NodeError("The model refused to answer."));
    const result = await run(graph, host);

    expect(result.status).toBe("partial");
    expect(result.nodes.x1).toMatchObject({ status: "failed", error: "The model refused to answer." });
    for (const id of ["x2", "x3"]) {
      expect(result.nodes[id]).toMatchObject({ status: "skipped", error: 'Skipped because Run LLM "x1" failed.' });
      expect(host.statusesOf(id)).toEqual(["queued", "skipped"]);
    }
    expect(result.nodes.y2.status).toBe("success");
    expect(host.executedNodeIds().sort()).toEqual(["x1", "y1", "y2"]);
    expect(host.statusesOf("x1")).toEqual(["queued", "running", "failed"]);
    expect(host.records.find((record) => record.nodeId === "x1" && record.status === "failed")).toMatchObject({
      error: "The model refused to answer.",
      inputs: { user_message: "message for x1" },
    });
  });

  it("labels errors that are not NodeErrors as unexpected", async () => {
    const host = new FakeHost();
    host.fail("a", new TypeError("Cannot read properties of undefined"));
    const result = await run(graphOf([llm("a")]), host);
    expect(result.nodes.a.error).toBe("Unexpected error: Cannot read properties of undefined");
  });

  it("fails a node whose execution leaves out one of its outputs", async () => {
    const host = new FakeHost();
    host.behave("a", async () => ({}));
    const result = await run(graphOf([llm("a")]), host);
    expect(result.nodes.a.error).toBe('Unexpected error: the execution returned no value for the "output" output');
  });

  it("fails the run when no node succeeds", async () => {
    const graph = graphOf([llm("a"), llm("b")], [edge("a", "output", "b", "user_message")]);
    const host = new FakeHost();
    host.fail("a", new NodeError("GEMINI_API_KEY is not set."));
    const result = await run(graph, host);
    expect(result.status).toBe("failed");
    expect(result.nodes.b.status).toBe("skipped");
    expect(host.lastReport()).toMatchObject({ status: "failed", nodes: { a: { status: "failed" }, b: { status: "skipped" } } });
  });

  it("fails the run when every compute node fails, even though its text nodes passed their text on", async () => {
    const graph = graphOf([node("prompt", "text", { text: "Describe" }), llm("a")], [edge("prompt", "text", "a", "user_message")]);
    const host = new FakeHost();
    host.fail("a", new NodeError("The model is overloaded."));
    const result = await run(graph, host);
    expect(result.nodes.prompt.status).toBe("success");
    expect(result.status).toBe("failed");
  });

  it("fails a node whose required input is missing, without executing it", async () => {
    const host = new FakeHost();
    const result = await run(graphOf([llm("a", "")]), host);
    expect(result.nodes.a).toMatchObject({
      status: "failed",
      error: "User message is required: connect a text node or type it on the node.",
    });
    expect(host.requests).toEqual([]);
  });

  it("turns text from a text node into a number for a number port", async () => {
    const graph = graphOf(
      [node("photo", "upload-image", { assetId: "p" }), node("x", "text", { text: " 25 " }), node("crop", "crop-image", { width_percent: 50 })],
      [edge("photo", "image", "crop", "image_url"), edge("x", "text", "crop", "x_percent")],
    );
    const host = new FakeHost();
    const result = await run(graph, host);
    expect(result.status).toBe("completed");
    const crop = await host.started("crop");
    expect(crop.params).toEqual({ x_percent: 25, y_percent: 0, width_percent: 50, height_percent: 100 });
    expect(result.nodes.crop.inputs).toMatchObject({ x_percent: 25 });
  });

  it("fails a node when text fed to a number port is not a number, or breaks the node's rules", async () => {
    const graph = graphOf(
      [
        node("photo", "upload-image", { assetId: "p" }),
        node("words", "text", { text: "a third" }),
        node("big", "text", { text: "30" }),
        node("crop-words", "crop-image"),
        node("crop-big", "crop-image", { width_percent: 80 }),
      ],
      [
        edge("photo", "image", "crop-words", "image_url"),
        edge("photo", "image", "crop-big", "image_url"),
        edge("words", "text", "crop-words", "x_percent"),
        edge("big", "text", "crop-big", "x_percent"),
      ],
    );
    const host = new FakeHost();
    const result = await run(graph, host);
    expect(result.nodes["crop-words"].error).toBe('X % must be a number, but got "a third".');
    expect(result.nodes["crop-big"].error).toBe(
      "width_percent must be at most 70 when x_percent is 30, so the crop stays inside the image.",
    );
    expect(host.executedNodeIds()).not.toContain("crop-words");
    expect(host.executedNodeIds()).not.toContain("crop-big");
  });

  it("never leaves a node running when saving its start fails", async () => {
    const host = new FakeHost();
    const recordNode = host.recordNode.bind(host);
    host.recordNode = async (update) => {
      if (update.nodeId === "a" && update.status === "running") throw new Error("connection reset");
      return recordNode(update);
    };
    const result = await run(graphOf([llm("a"), llm("b")]), host);
    expect(result.nodes.a).toMatchObject({ status: "failed", error: "Unexpected error: the node's start could not be saved." });
    expect(result.nodes.b.status).toBe("success");
    expect(result.error).toBe('Could not save the state of Run LLM "a": connection reset');
    expect(host.lastReport().nodes.a.status).toBe("failed");
    expect(host.executedNodeIds()).toEqual(["b"]);
  });

  it("retries a failed save once before reporting it", async () => {
    const host = new FakeHost();
    const recordNode = host.recordNode.bind(host);
    let failures = 0;
    host.recordNode = async (update) => {
      if (update.status === "success" && failures++ === 0) throw new Error("deadlock detected");
      return recordNode(update);
    };
    const result = await run(graphOf([llm("a")]), host);
    expect(result).toMatchObject({ status: "completed", error: null });
    expect(host.statusesOf("a")).toEqual(["queued", "running", "success"]);
  });

  it("finishes the run when publishing progress fails, and says so when the last report fails", async () => {
    const host = new FakeHost();
    host.reportProgress = async () => {
      throw new Error("metadata too large");
    };
    const result = await run(diamond(), host);
    expect(result.status).toBe("completed");
    expect(result.error).toBe("Could not publish the run's final progress: metadata too large");
  });
});

describe("cancellation", () => {
  it("aborts running executions, cancels the nodes not started, and ends cancelled", async () => {
    const graph = graphOf([llm("a"), llm("b"), llm("c"), llm("d")], [edge("a", "output", "b", "user_message")]);
    const host = new FakeHost();
    host.behave("a", untilAborted);
    host.behave("c", untilAborted);
    const controller = new AbortController();
    const running = run(graph, host, { signal: controller.signal, concurrency: 2 });

    const [a, c] = await Promise.all([host.started("a"), host.started("c")]);
    expect(a.signal.aborted).toBe(false);
    controller.abort();
    expect(a.signal.aborted).toBe(true);
    expect(c.signal.aborted).toBe(true);

    const result = await running;
    expect(result.status).toBe("cancelled");
    for (const id of ["a", "b", "c", "d"]) expect(result.nodes[id].status).toBe("cancelled");
    expect(host.executedNodeIds().sort()).toEqual(["a", "c"]);
    expect(host.statusesOf("a")).toEqual(["queued", "running", "cancelled"]);
    expect(host.statusesOf("d")).toEqual(["queued", "cancelled"]);
    expect(host.lastReport()).toMatchObject({ status: "cancelled", nodes: { a: { status: "cancelled" }, d: { status: "cancelled" } } });
    expect(host.lastReport().finishedAt).not.toBeNull();
  });

  it("keeps the result of an execution that finishes despite the cancellation", async () => {
    const host = new FakeHost();
    const a = host.hold("a");
    const controller = new AbortController();
    const running = run(graphOf([llm("a"), llm("b")], [edge("a", "output", "b", "user_message")]), host, { signal: controller.signal });
    await host.started("a");
    controller.abort();
    a.resolve({ output: "done anyway" });
    const result = await running;
    expect(result.nodes.a).toMatchObject({ status: "success", outputs: { output: "done anyway" } });
    expect(result.nodes.b.status).toBe("cancelled");
    expect(result.status).toBe("cancelled");
  });

  it("stops waiting for an execution that ignores the cancellation", async () => {
    const host = new FakeHost();
    host.hold("a");
    const controller = new AbortController();
    const running = run(graphOf([llm("a")]), host, { signal: controller.signal, cancelGraceMs: 20 });
    await host.started("a");
    controller.abort();
    const result = await running;
    expect(result.nodes.a.status).toBe("cancelled");
    expect(result.status).toBe("cancelled");
  });

  it("executes nothing when the run is cancelled before it starts", async () => {
    const host = new FakeHost();
    const result = await run(diamond(), host, { signal: AbortSignal.abort() });
    expect(result.status).toBe("cancelled");
    expect(host.requests).toEqual([]);
    expect(Object.values(result.nodes).map((result) => result.status)).toEqual(Array(4).fill("cancelled"));
  });
});

describe("scopes and retries", () => {
  const chain = () =>
    graphOf(
      [node("prompt", "text", { text: "Write a slogan" }), llm("draft"), llm("polish"), llm("other")],
      [edge("prompt", "text", "draft", "user_message"), edge("draft", "output", "polish", "user_message")],
    );

  it("runs every node in full scope", async () => {
    const host = new FakeHost();
    const result = await run(chain(), host);
    expect(host.executedNodeIds().sort()).toEqual(["draft", "other", "polish", "prompt"]);
    expect(result.status).toBe("completed");
  });

  it("runs a single node on its upstream node's latest output", async () => {
    const graph = chain();
    const plan = planFor(graph, "single", ["polish"], { draft: { output: "an earlier draft" } });
    const host = new FakeHost();
    const result = await run(graph, host, { plan });
    expect(host.executedNodeIds()).toEqual(["polish"]);
    expect((await host.started("polish")).inputs.user_message).toBe("an earlier draft");
    expect(Object.keys(result.nodes)).toEqual(["polish"]);
    expect(Object.keys(host.lastReport().nodes)).toEqual(["polish"]);
  });

  it("runs the selected nodes together with the text nodes feeding them", async () => {
    const graph = chain();
    const plan = planFor(graph, "selected", ["draft", "polish"], { prompt: { text: "stale text" } });
    const host = new FakeHost();
    const result = await run(graph, host, { plan });
    expect(host.executedNodeIds()).toEqual(["prompt", "draft", "polish"]);
    expect((await host.started("draft")).inputs.user_message).toBe("Write a slogan");
    expect((await host.started("polish")).inputs.user_message).toBe("draft answered");
    expect(result.status).toBe("completed");
  });

  it("retries only the nodes that did not succeed, reusing the others' outputs", async () => {
    const graph = graphOf(
      [node("prompt", "text", { text: "Write" }), llm("draft"), llm("polish"), llm("fine")],
      [edge("prompt", "text", "draft", "user_message"), edge("draft", "output", "polish", "user_message")],
    );
    const first = new FakeHost();
    first.behave("draft", async () => ({ output: "the draft" }));
    first.fail("polish", new NodeError("Gemini is busy (429); try again shortly."));
    const failed = await run(graph, first);
    expect(failed.status).toBe("partial");

    const retry = retryPlan({ graph, results: failed.nodes });
    if (!retry.ok) throw new Error("retry refused");
    const second = new FakeHost();
    const result = await executeRun({ runId: "run-2", graph, plan: retry.plan, host: second });

    expect(second.executedNodeIds()).toEqual(["polish"]);
    expect((await second.started("polish")).inputs.user_message).toBe("the draft");
    expect(result.status).toBe("completed");
    expect(result.nodes.draft).toMatchObject({ status: "success", reused: true, outputs: { output: "the draft" } });
    expect(result.nodes.draft.finishedAt).toBe(failed.nodes.draft.finishedAt);
    expect(result.nodes.polish).toMatchObject({ status: "success", reused: false });
    expect(second.statusesOf("draft")).toEqual(["success"]);
    expect(second.lastReport().nodes.draft).toMatchObject({ status: "success", preview: "the draft" });
  });
});

describe("progress", () => {
  it("reports every transition in a shape the browser's schema accepts", async () => {
    const host = new FakeHost();
    const result = await run(diamond(), host);
    for (const report of host.reports) expect(RunProgressSchema.safeParse(report).success).toBe(true);

    const statusesOfD = host.reports.map((report) => report.nodes.d.status).filter((status, index, all) => status !== all[index - 1]);
    expect(statusesOfD).toEqual(["queued", "running", "success"]);
    expect(host.reports[0]).toMatchObject({ runId: "run-1", status: "running", finishedAt: null });
    const last = host.lastReport();
    expect(last).toMatchObject({ status: "completed", startedAt: result.startedAt, finishedAt: result.finishedAt });
    expect(last.nodes.d).toMatchObject({ status: "success", preview: "d answered", error: null });
    expect(last.nodes.d.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("times executions with the given clock", async () => {
    let tick = 0;
    const now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));
    const result = await run(graphOf([llm("a")]), new FakeHost(), { now });
    expect(result.nodes.a.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.nodes.a.durationMs! % 1000).toBe(0);
    expect(Date.parse(result.nodes.a.finishedAt!)).toBeGreaterThan(Date.parse(result.nodes.a.startedAt!));
  });

  it("shows a media output by its URL", async () => {
    const graph = graphOf([node("photo", "upload-image", { assetId: "p" })]);
    const host = new FakeHost();
    await run(graph, host);
    expect(host.lastReport().nodes.photo.preview).toBe(media("upload-photo").url);
  });

  it("previews a long text output by its start, and publishes no text while the node runs", async () => {
    const host = new FakeHost();
    const longAnswer = "word ".repeat(200);
    host.behave("a", async () => ({ output: longAnswer }));
    await run(graphOf([llm("a")]), host);

    // Live text travels on the run's LLM text stream, not in the progress.
    expect(host.reports.every((report) => report.nodes.a.status !== "running" || report.nodes.a.preview === null)).toBe(true);
    const final = host.lastReport().nodes.a.preview ?? "";
    expect(final.length).toBe(PREVIEW_MAX_CHARS);
    expect(final.endsWith("…")).toBe(true);
    expect(longAnswer.startsWith(final.slice(0, -1))).toBe(true);
  });

  it("stays far below 256 KB for 500 nodes with long outputs and errors", async () => {
    const ids = Array.from({ length: 500 }, (_, index) => `node-${String(index).padStart(3, "0")}-6f1c2a9e-7b7d-4c1e-9d8a-0b4f5e`);
    const graph = graphOf(ids.map((id) => llm(id)));
    const host = new FakeHost();
    const essay = "Ünïcödé ✓ 😀 \"quoted\"\n".repeat(500);
    ids.forEach((id, index) => {
      if (index % 2 === 0) host.behave(id, async () => ({ output: essay }));
      else host.fail(id, new NodeError(`Gemini said no: ${essay}`));
    });
    const result = await run(graph, host, { concurrency: 16 });
    expect(result.status).toBe("partial");

    const last = host.lastReport();
    expect(RunProgressSchema.safeParse(last).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(last))).toBeLessThan(256 * 1024);
    expect(last.nodes[ids[0]].preview?.startsWith("Ünïcödé ✓ 😀")).toBe(true);
    expect(last.nodes[ids[1]].error?.startsWith("Gemini said no:")).toBe(true);
    // The full error is kept where it is recorded.
    expect(result.nodes[ids[1]].error).toBe(`Gemini said no: ${essay}`);
  });

  it("runs the sample workflow, converging on the final LLM last", async () => {
    const graph = sampleWorkflowGraph({ imageAssetId: "photo", videoAssetId: "video" });
    const host = new FakeHost();
    const result = await run(graph, host);
    expect(result.status).toBe("completed");
    const postStart = host.log.indexOf("start:social-media-post");
    for (const id of ["product-description", "crop-product", "video-frame"]) {
      expect(host.log.indexOf(`end:${id}`)).toBeLessThan(postStart);
    }
    const post = await host.started("social-media-post");
    expect(post.inputs.images).toEqual([media("output-crop-product"), media("output-video-frame")]);
    expect(post.inputs.user_message).toBe("product-description answered");
    expect((await host.started("video-frame")).params).toEqual({ timestamp: "50%" });
  });
});

describe("node ids that name object properties", () => {
  it("hands outputs on even from a node called __proto__ (keyed without a prototype)", async () => {
    // Validation refuses such ids (workflow/graph.ts); this is the scheduler's own guard, for plans made before.
    const original = graphOf([llm("a"), llm("b")], [edge("a", "output", "b", "user_message")]);
    const rename = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('"a"', '"__proto__"'));
    const graph = rename(original);
    const host = new FakeHost();
    const result = await run(graph, host, { plan: rename(planFor(original)) });
    expect(result.status).toBe("completed");
    expect((await host.started("b")).inputs).toMatchObject({ user_message: "__proto__ answered" });
  });
});

describe("budget", () => {
  it("skips the paid nodes still to start once the per-run cap is crossed, with the reason, keeping what was paid for", async () => {
    const graph = graphOf([node("a", "run-llm", { model: "gemini-3.6-flash", user_message: "hi" }), llm("b"), llm("c")], [edge("b", "output", "c", "user_message")]);
    const host = new FakeHost();
    // One slot: "a" runs first and reports $0.52 of output before "b" could start.
    host.behave("a", async (request) => {
      request.reportUsage?.({ model: "test-model", inputTokens: 0, cachedInputTokens: 0, outputTokens: 52_000, thinkingTokens: 0 });
      return { output: "a answered" };
    });
    host.behave("b", async () => {
      throw new Error("b must not start");
    });
    const estimates = { a: { usd: 0.1, basis: "" }, b: { usd: 0.1, basis: "" }, c: { usd: 0.1, basis: "" } };
    const prices = {
      checkedAt: "2026-12-03",
      sources: ["https://ai.google.dev/gemini-api/docs/pricing"],
      heuristics: { charsPerToken: 4, imageInputTokens: 0, defaultOutputTokens: 0 },
      models: { "test-model": { kind: "text" as const, inputPerMTok: 1, outputPerMTok: 10, source: "https://ai.google.dev/gemini-api/docs/pricing" } },
    };
    const result = await run(graph, host, { concurrency: 1, budget: { prices, perRunUsd: 0.5, monthRemainingUsd: null, estimates } });

    expect(host.executedNodeIds()).toEqual(["a"]);
    expect(result.nodes.a.status).toBe("success");
    expect(host.records.find((record) => record.nodeId === "a" && record.status === "success")).toMatchObject({ costUsd: 0.52 });
    expect(result.nodes.b).toMatchObject({ status: "skipped", error: "Per-run cap of $0.50 reached: $0.52 spent." });
    expect(result.nodes.c).toMatchObject({ status: "skipped", error: "Per-run cap of $0.50 reached: $0.52 spent." });
    expect(result.status).toBe("partial");
  });
});
