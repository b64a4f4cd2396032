import { randomUUID } from "node:crypto";
import type { TaskRunContext } from "@trigger.dev/core/v3";
import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { metadata } from "@trigger.dev/sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db.server";
import type { WorkflowEngine } from "~/.server/engine/engine.server";
import { createRun } from "~/.server/models/run.server";
import { toJson } from "~/.server/engine/run-store.server";
import { createWorkflow } from "~/.server/models/workflow.server";
import { SHIPPED_PRICES } from "~workflow/cost/prices";
import { costOfUsage, formatUsd, type Usage } from "~workflow/cost/usage";
import { DEFAULT_TEXT_MODEL } from "~workflow/gemini-models";
import type { Graph } from "~workflow/graph";
import { readRunProgress, type RunProgress } from "~workflow/run-progress";
import { edge, graphOf, llm, node } from "~workflow/test-support";
import type * as ChildRuns from "./child-runs";
import { fakeChildRuns as childRuns } from "./fake-child-runs";
import { loadTaskRunFunction, taskFailureHook, taskMetadata, type TaskRunFunction } from "./test-support";
import { startGeminiStub, textReply, type GeminiStub } from "~test/gemini-stub";
import { createTestUser } from "~test/users";

// The orchestrator task's own run function, in the SDK's mock task context, against the real
// database. Only the calls to Trigger.dev's servers (trigger, follow over Realtime, cancel) are
// replaced, by child runs each test finishes by hand: with outputs the test makes up, or with
// what the child's own task run function returned (Run LLM against the Gemini stub).

vi.mock("./child-runs", async (importOriginal) => ({
  ...(await importOriginal<typeof ChildRuns>()),
  triggerDevChildRuns: (await import("./fake-child-runs")).fakeChildRuns,
}));

/** Writes the run's rows the way the API does, without handing it to any engine. */
const engineThatOnlyRecords: WorkflowEngine = {
  kind: "trigger",
  start: async () => ({ engineRunId: `run_${randomUUID()}`, accessToken: "unused", realtimeBaseUrl: null }),
  cancel: async () => {},
  createAccessToken: async () => "unused",
};

let executeWorkflow: TaskRunFunction;
let runLlm: TaskRunFunction;
let gemini: GeminiStub;

beforeAll(async () => {
  // Before the task modules load: the app reads its environment once, on first use.
  gemini = await startGeminiStub();
  process.env.GEMINI_API_KEY = "test-key";
  process.env.GEMINI_BASE_URL = gemini.baseUrl;
  executeWorkflow = await loadTaskRunFunction("execute-workflow", () => import("./execute-workflow"));
  runLlm = await loadTaskRunFunction("run-llm", () => import("./run-llm"));
});

afterAll(async () => {
  await gemini?.close();
});

beforeEach(() => {
  childRuns.reset();
  gemini.reset();
});

// A test that fails midway leaves its orchestrator waiting; stop it before the next test starts.
const signals: AbortController[] = [];

afterEach(() => {
  for (const controller of signals.splice(0)) controller.abort();
  vi.restoreAllMocks();
});

/** The run's cancellation signal, aborted after the test at the latest. */
function runSignal() {
  const controller = new AbortController();
  signals.push(controller);
  return controller;
}

async function createQueuedRun(graph: Graph, limits: { perRunCapUsd?: number } = {}) {
  const ownerId = await createTestUser("orchestrator");
  await db.user.update({ where: { id: ownerId }, data: limits });
  const workflow = await createWorkflow(ownerId, { name: "Orchestrated", graph });
  const created = await createRun(ownerId, workflow.id, { scope: "full" }, engineThatOnlyRecords);
  if (created.status !== "ok") throw new Error(`The run was not created: ${JSON.stringify(created)}`);
  return { ownerId: ownerId, runId: created.started.run.id };
}

/** Resolves with the node's child run once the orchestrator has triggered it. */
function triggered(nodeId: string) {
  return vi.waitFor(
    () => {
      const run = childRuns.find(nodeId);
      if (!run) throw new Error(`${nodeId} has not been triggered`);
      return run;
    },
    // A bound on waiting, not a speed claim: a loaded machine may take seconds.
    { timeout: 10_000 },
  );
}

function triggeredNodeIds() {
  return childRuns.runs.map((run) => run.payload.nodeId);
}

/** The run's progress as the browser reads it from the orchestrator's metadata. */
function progress(): RunProgress {
  const read = readRunProgress(metadata.current());
  if (!read) throw new Error("The run's metadata holds no valid progress.");
  return read;
}

async function rowsOf(runId: string) {
  const run = await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { nodeExecutions: true } });
  return { run, nodes: Object.fromEntries(run.nodeExecutions.map((row) => [row.nodeId, row])) };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * t (text) feeds a and e; a feeds b and c; b and c feed d. e is an unrelated branch that stays
 * busy the whole time.
 */
function diamondWithSideBranch(): Graph {
  return graphOf(
    [node("t", "text", { text: "hello" }), llm("a", ""), llm("b", ""), llm("c", ""), llm("d", ""), llm("e", "")],
    [
      edge("t", "text", "a", "user_message"),
      edge("t", "text", "e", "user_message"),
      edge("a", "output", "b", "user_message"),
      edge("a", "output", "c", "user_message"),
      edge("b", "output", "d", "system_prompt"),
      edge("c", "output", "d", "user_message"),
    ],
  );
}

describe("execute-workflow", () => {
  it("starts each node as soon as its own inputs are done, runs branches concurrently, and records everything", async () => {
    const { ownerId, runId } = await createQueuedRun(diamondWithSideBranch());

    await runInMockTaskContext(async ({ ctx }) => {
      const set = vi.spyOn(metadata, "set");
      const flush = vi.spyOn(metadata, "flush");
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });

      // The text node runs inside the orchestrator; both of its dependents start together.
      const a = await triggered("a");
      const e = await triggered("e");
      expect(triggeredNodeIds().sort()).toEqual(["a", "e"]);
      expect(a.taskId).toBe("run-llm");
      expect(a.payload).toMatchObject({ runId, ownerId, nodeId: "a", params: { user_message: "hello" } });
      expect(a.options.tags).toEqual([`weft-run:${runId}`, `weft-nodes:${runId}`]);
      expect(a.options.idempotencyKey[0]).toBe("a");

      await vi.waitFor(() => expect(progress().nodes.a).toMatchObject({ status: "running", preview: null }));

      // b and c start the moment a is done, while e (same depth as a) is still busy.
      a.succeed({ output: "A says" });
      const b = await triggered("b");
      const c = await triggered("c");
      expect(b.payload.params).toMatchObject({ user_message: "A says" });
      expect(c.payload.params).toMatchObject({ user_message: "A says" });

      // d needs both b and c.
      b.succeed({ output: "B says" });
      await vi.waitFor(async () => expect((await rowsOf(runId)).nodes.b.status).toBe("success"));
      await sleep(50);
      expect(childRuns.find("d")).toBeUndefined();
      c.succeed({ output: "C says" });
      const d = await triggered("d");
      expect(d.payload.params).toMatchObject({ system_prompt: "B says", user_message: "C says" });

      d.succeed({ output: "D says" });
      e.succeed({ output: "E says" });
      await expect(execution).resolves.toEqual({ status: "completed", error: null });

      expect(triggeredNodeIds()).not.toContain("t");
      // However many children were in flight, one Realtime subscription followed them all.
      expect(childRuns.watchesOpened).toBe(1);
      const final = progress();
      expect(final.status).toBe("completed");
      expect(Object.values(final.nodes).map((entry) => entry.status)).toEqual(Array(6).fill("success"));
      expect(final.nodes.d.preview).toBe("D says");
      // The final state was flushed after it was set, not left for the periodic flush.
      const lastSet = set.mock.invocationCallOrder.at(-1) ?? Infinity;
      expect(flush.mock.invocationCallOrder.some((order) => order > lastSet)).toBe(true);
    });

    const { run, nodes } = await rowsOf(runId);
    expect(run.status).toBe("completed");
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(nodes.t).toMatchObject({ status: "success", outputs: { text: "hello" } });
    expect(nodes.d).toMatchObject({
      status: "success",
      inputs: { system_prompt: "B says", user_message: "C says" },
      outputs: { output: "D says" },
    });
    expect(Object.values(nodes).every((row) => row.status === "success" && row.durationMs !== null)).toBe(true);
  });

  it("shows a failed child's own message and skips what depends on it, while other branches finish", async () => {
    const graph = graphOf(
      [node("t", "text", { text: "hello" }), llm("a", ""), llm("b", ""), llm("e", "")],
      [edge("t", "text", "a", "user_message"), edge("a", "output", "b", "user_message"), edge("t", "text", "e", "user_message")],
    );
    const { runId } = await createQueuedRun(graph);

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });
      const a = await triggered("a");
      const e = await triggered("e");
      a.fail({ name: "NodeError", message: "Gemini blocked the answer for safety reasons." });
      e.succeed({ output: "E says" });

      await expect(execution).resolves.toEqual({ status: "partial", error: null });
      const final = progress();
      expect(final.status).toBe("partial");
      expect(final.nodes.a).toMatchObject({ status: "failed", error: "Gemini blocked the answer for safety reasons." });
      expect(final.nodes.b.status).toBe("skipped");
      expect(final.nodes.e.status).toBe("success");
    });

    expect(triggeredNodeIds()).not.toContain("b");
    const { run, nodes } = await rowsOf(runId);
    expect(run.status).toBe("partial");
    expect(nodes.a).toMatchObject({ status: "failed", error: "Gemini blocked the answer for safety reasons." });
    expect(nodes.b.status).toBe("skipped");
    expect(nodes.b.error).toMatch(/^Skipped because/);
    expect(nodes.e).toMatchObject({ status: "success", outputs: { output: "E says" } });
  });

  it("labels an error that is not a node's own as unexpected", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" }), llm("a", "")], [edge("t", "text", "a", "user_message")]);
    const { runId } = await createQueuedRun(graph);

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });
      (await triggered("a")).fail({ name: "Error", message: "connect ECONNREFUSED 10.0.0.1:5432" });
      await expect(execution).resolves.toMatchObject({ status: "failed" });
    });

    const { nodes } = await rowsOf(runId);
    expect(nodes.a.error).toBe("Unexpected error: connect ECONNREFUSED 10.0.0.1:5432");
  });

  it("cancels the running children when the run is cancelled, and records the cancellation", async () => {
    const graph = graphOf(
      [node("t", "text", { text: "hello" }), llm("a", ""), llm("b", ""), llm("e", "")],
      [edge("t", "text", "a", "user_message"), edge("a", "output", "b", "user_message"), edge("t", "text", "e", "user_message")],
    );
    const { runId } = await createQueuedRun(graph);

    await runInMockTaskContext(async ({ ctx }) => {
      const cancellation = runSignal();
      const execution = executeWorkflow({ runId }, { ctx, signal: cancellation.signal });
      const a = await triggered("a");
      const e = await triggered("e");

      cancellation.abort(new Error("The run was cancelled."));
      await expect(execution).resolves.toEqual({ status: "cancelled", error: null });
      expect(childRuns.cancelled.sort()).toEqual([a.id, e.id].sort());
      expect(progress()).toMatchObject({ status: "cancelled", nodes: { a: { status: "cancelled" }, b: { status: "cancelled" } } });
    });

    expect(triggeredNodeIds()).not.toContain("b");
    const { run, nodes } = await rowsOf(runId);
    expect(run.status).toBe("cancelled");
    expect([nodes.a.status, nodes.b.status, nodes.e.status]).toEqual(["cancelled", "cancelled", "cancelled"]);
  });

  it("reopens the Realtime subscription when it drops, and still sees the child finish", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" }), llm("a", "")], [edge("t", "text", "a", "user_message")]);
    const { runId } = await createQueuedRun(graph);

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });
      const a = await triggered("a");
      await vi.waitFor(() => expect(childRuns.watchesOpened).toBe(1));

      childRuns.dropWatches();
      a.succeed({ output: "A says" });
      await expect(execution).resolves.toEqual({ status: "completed", error: null });
      expect(childRuns.watchesOpened).toBe(2);
    });
  });

  it("resumes an interrupted run on a retried attempt: succeeded nodes keep their outputs, the rest run again", async () => {
    const graph = graphOf(
      [node("t", "text", { text: "hello" }), llm("a", ""), llm("b", "")],
      [edge("t", "text", "a", "user_message"), edge("a", "output", "b", "user_message")],
    );
    const { runId } = await createQueuedRun(graph);
    // What a crashed first attempt left: a succeeded, b was running.
    await db.workflowRun.update({ where: { id: runId }, data: { status: "running", startedAt: new Date() } });
    await db.nodeExecution.updateMany({
      where: { runId, nodeId: "a" },
      data: { status: "success", outputs: { output: "earlier A" }, startedAt: new Date(), finishedAt: new Date(), durationMs: 5 },
    });
    await db.nodeExecution.updateMany({ where: { runId, nodeId: "b" }, data: { status: "running", startedAt: new Date() } });

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId }, { ctx: { ...ctx, attempt: { ...ctx.attempt, number: 2 } }, signal: runSignal().signal });
      const b = await triggered("b");
      expect(b.payload.params).toMatchObject({ user_message: "earlier A" });
      b.succeed({ output: "B says" });
      await expect(execution).resolves.toEqual({ status: "completed", error: null });
    });

    expect(triggeredNodeIds()).toEqual(["b"]);
    const { run, nodes } = await rowsOf(runId);
    expect(run.status).toBe("completed");
    expect(nodes.a.outputs).toEqual({ output: "earlier A" });
    expect(nodes.b).toMatchObject({ status: "success", outputs: { output: "B says" } });
  });

  it("does nothing for a run that already finished, and fails without retrying for one that was deleted", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" })]);
    const { runId } = await createQueuedRun(graph);
    await db.workflowRun.update({ where: { id: runId }, data: { status: "cancelled" } });

    await runInMockTaskContext(async ({ ctx }) => {
      const { signal } = runSignal();
      await expect(executeWorkflow({ runId }, { ctx, signal })).resolves.toEqual({ status: "cancelled", error: null });
      await expect(executeWorkflow({ runId: "no-such-run" }, { ctx, signal })).rejects.toMatchObject({
        name: "AbortTaskRunError",
        message: "Run no-such-run no longer exists.",
      });
      await expect(executeWorkflow({}, { ctx, signal })).rejects.toThrow();
    });
  });

  it("sends the progress to Trigger.dev at most once a second while the run goes, and the final state at once", async () => {
    const graph = graphOf(
      [node("t", "text", { text: "hello" }), llm("a", ""), llm("b", "")],
      [edge("t", "text", "a", "user_message"), edge("a", "output", "b", "user_message")],
    );
    const { runId } = await createQueuedRun(graph);

    await runInMockTaskContext(async ({ ctx }) => {
      const sentAt: { at: number; status: string | undefined }[] = [];
      vi.spyOn(metadata, "flush").mockImplementation(async () => {
        sentAt.push({ at: performance.now(), status: readRunProgress(metadata.current())?.status });
      });
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });

      // Changes keep coming (a starts, a ends, b starts) while the first sends go out.
      const a = await triggered("a");
      await vi.waitFor(() => expect(sentAt.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
      a.succeed({ output: "A says" });
      const b = await triggered("b");
      await vi.waitFor(() => expect(sentAt.length).toBeGreaterThanOrEqual(3), { timeout: 5_000 });
      b.succeed({ output: "B says" });
      await expect(execution).resolves.toEqual({ status: "completed", error: null });

      const going = sentAt.filter((send) => send.status !== "completed");
      const gaps = going.slice(1).map((send, index) => send.at - going[index].at);
      // A second apart, less the few milliseconds between the writer's clock and this spy's.
      expect(gaps.length).toBeGreaterThanOrEqual(2);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950);
      expect(sentAt.at(-1)?.status).toBe("completed");
    });
  });

  it("ends the run's rows from onFailure when the last attempt failed outside the core", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" }), llm("a", "")], [edge("t", "text", "a", "user_message")]);
    const { runId } = await createQueuedRun(graph);
    const onFailure = taskFailureHook("execute-workflow");

    await runInMockTaskContext(async ({ ctx }) => {
      await onFailure({ payload: { runId }, error: new Error("Connection terminated unexpectedly"), ctx, task: "execute-workflow", signal: new AbortController().signal });
    });

    const { run, nodes } = await rowsOf(runId);
    expect(run).toMatchObject({ status: "failed", error: "The run stopped: Connection terminated unexpectedly", finishedAt: expect.any(Date) });
    expect(Object.values(nodes).map((row) => row.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("runs in a queue of its own whose concurrency stays below the environment's (WEFT_ORCHESTRATOR_CONCURRENCY, default 4)", () => {
    expect(taskMetadata("execute-workflow").queue).toEqual({ name: "execute-workflow", concurrencyLimit: 4 });
  });
});

describe("execute-workflow and the output cache", () => {
  it("settles a node the cache serves without triggering a child, and passes its outputs on", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" }), llm("a", ""), llm("lone")], [edge("t", "text", "a", "user_message")]);
    const { ownerId, runId: first } = await createQueuedRun(graph);
    const workflowId = (await db.workflowRun.findUniqueOrThrow({ where: { id: first } })).workflowId;

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId: first }, { ctx, signal: runSignal().signal });
      (await triggered("a")).succeed({ output: "A says" });
      (await triggered("lone")).succeed({ output: "Lone says" });
      await expect(execution).resolves.toEqual({ status: "completed", error: null });
    });

    childRuns.reset();
    // The same owner changes nothing but the lone node's message: only that node may run.
    graph.nodes[2].data = { user_message: "something new" };
    await db.workflow.update({ where: { id: workflowId }, data: { graph: toJson(graph) } });
    const created = await createRun(ownerId, workflowId, { scope: "full" }, engineThatOnlyRecords);
    if (created.status !== "ok") throw new Error(`The run was not created: ${JSON.stringify(created)}`);
    const second = created.started.run.id;

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId: second }, { ctx, signal: runSignal().signal });
      (await triggered("lone")).succeed({ output: "Lone again" });
      await expect(execution).resolves.toEqual({ status: "completed", error: null });
      expect(triggeredNodeIds()).toEqual(["lone"]);
      expect(progress().nodes.a).toMatchObject({ status: "success", cached: true, cachedFromRunId: first, preview: "A says" });
    });
    const { nodes } = await rowsOf(second);
    expect(nodes.a).toMatchObject({ status: "success", cachedFromRunId: first, outputs: { output: "A says" } });
    expect(nodes.lone).toMatchObject({ status: "success", cachedFromRunId: null });
  });
});

describe("execute-workflow and actual cost", () => {
  /** Runs a triggered Run LLM child with the run-llm task's own run function, here, and completes it with what that returned. */
  async function completeWithRunLlm(nodeId: string, ctx: TaskRunContext) {
    const child = await triggered(nodeId);
    child.complete(await runLlm(child.payload, { ctx, signal: runSignal().signal }));
  }

  function llmUsage(metadata: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number }): Usage {
    return {
      model: DEFAULT_TEXT_MODEL,
      inputTokens: metadata.promptTokenCount,
      cachedInputTokens: 0,
      outputTokens: metadata.candidatesTokenCount,
      thinkingTokens: metadata.thoughtsTokenCount ?? 0,
    };
  }

  it("records the usage each Run LLM task hands back on its node's row, priced, and sums it on the run", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" }), llm("a", ""), llm("b", "")], [
      edge("t", "text", "a", "user_message"),
      edge("a", "output", "b", "user_message"),
    ]);
    const { runId } = await createQueuedRun(graph);
    const first = { promptTokenCount: 2_000, candidatesTokenCount: 400, thoughtsTokenCount: 600 };
    const second = { promptTokenCount: 3_000, candidatesTokenCount: 800 };
    gemini.program(textReply("A says", { usage: first }), textReply("B says", { usage: second }));

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });
      await completeWithRunLlm("a", ctx);
      await completeWithRunLlm("b", ctx);
      await expect(execution).resolves.toEqual({ status: "completed", error: null });
    });

    const costA = costOfUsage(llmUsage(first), SHIPPED_PRICES);
    const costB = costOfUsage(llmUsage(second), SHIPPED_PRICES);
    if (!costA || !costB) throw new Error(`The shipped prices have no price for ${DEFAULT_TEXT_MODEL}.`);
    const { run, nodes } = await rowsOf(runId);
    expect(nodes.a).toMatchObject({ status: "success", outputs: { output: "A says" }, usage: [llmUsage(first)], costUsd: expect.closeTo(costA, 12) });
    expect(nodes.b).toMatchObject({ status: "success", outputs: { output: "B says" }, usage: [llmUsage(second)], costUsd: expect.closeTo(costB, 12) });
    // The text node ran in the orchestrator and called nothing paid.
    expect(nodes.t).toMatchObject({ usage: null, costUsd: null });
    expect(run.costUsd).toBeCloseTo(costA + costB, 12);
  });

  it("skips a later paid node once the usage a finished child handed back crosses the per-run cap", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" }), llm("a", ""), llm("b", "")], [
      edge("t", "text", "a", "user_message"),
      edge("a", "output", "b", "user_message"),
    ]);
    // Each node is estimated at a fraction of a cent, so the run is accepted under a one-cent cap...
    const { runId } = await createQueuedRun(graph, { perRunCapUsd: 0.01 });
    // ...but a's answer runs far longer than estimated.
    const used = { promptTokenCount: 1_000, candidatesTokenCount: 20_000 };
    gemini.program(textReply("A went on and on", { usage: used }));
    const spent = costOfUsage(llmUsage(used), SHIPPED_PRICES) ?? NaN;
    expect(spent).toBeGreaterThan(0.01);
    const reason = `Per-run cap of $0.01 reached: ${formatUsd(spent)} spent.`;

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });
      await completeWithRunLlm("a", ctx);
      // Whether b starts (its child triggered) or is held back is the point: see which, without
      // waiting for a child that would never end.
      await vi.waitFor(() => expect(progress().nodes.b.status).not.toBe("queued"), { timeout: 10_000 });
      expect(progress().nodes.b).toMatchObject({ status: "skipped", error: reason });
      await expect(execution).resolves.toEqual({ status: "partial", error: null });
    });

    expect(triggeredNodeIds()).toEqual(["a"]);
    const { run, nodes } = await rowsOf(runId);
    expect(nodes.a).toMatchObject({ status: "success", usage: [llmUsage(used)], costUsd: expect.closeTo(spent, 12) });
    expect(nodes.b).toMatchObject({ status: "skipped", error: reason });
    expect(run.costUsd).toBeCloseTo(spent, 12);
  });

  it("fails the node with what is wrong when a child returns something other than { outputs, usage }", async () => {
    const graph = graphOf([node("t", "text", { text: "hello" }), llm("a", "")], [edge("t", "text", "a", "user_message")]);
    const { runId } = await createQueuedRun(graph);

    await runInMockTaskContext(async ({ ctx }) => {
      const execution = executeWorkflow({ runId }, { ctx, signal: runSignal().signal });
      // Bare outputs, as node tasks returned before they handed back their usage.
      (await triggered("a")).complete({ output: "A says" });
      await expect(execution).resolves.toMatchObject({ status: "failed" });
    });

    const { run, nodes } = await rowsOf(runId);
    expect(nodes.a.status).toBe("failed");
    expect(nodes.a.error).toMatch(/^Unexpected error: task run run_child_1 did not return \{ outputs, usage \}: outputs: .+; usage: .+$/);
    expect(run.costUsd).toBe(0);
  });
});
