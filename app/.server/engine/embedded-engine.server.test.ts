import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db.server";
import { cancelRun, createRun, type StartRunResult } from "~/.server/models/run.server";
import { createTestWorkflow, RecordingEngine } from "~test/run-fixtures";
import { createTestUser } from "~test/users";
import { executors as realExecutors } from "~workflow/executors";
import { edge, graphOf, llm, node } from "~workflow/test-support";
import type { Executor, ExecutorMap } from "~workflow/execution";
import { createEmbeddedEngine, type EmbeddedEngine } from "./embedded-engine.server";
import { RunEvents } from "./run-events.server";

// prompt → answer → summary
const graph = graphOf(
  [node("prompt", "text", { text: "Hello" }), llm("answer"), llm("summary")],
  [edge("prompt", "text", "answer", "user_message"), edge("answer", "output", "summary", "user_message")],
);

type LlmBehaviour = Executor<"run-llm">;

/** Executors that log what they execute; Run LLM nodes do what the test says (echo by default). */
function testExecutors(log: string[], behaviours: Record<string, LlmBehaviour> = {}): ExecutorMap {
  return {
    ...realExecutors,
    text: async ({ nodeId, params }) => {
      log.push(nodeId);
      return { text: params.text };
    },
    "run-llm": async (context) => {
      log.push(context.nodeId);
      const behaviour = behaviours[context.nodeId];
      return behaviour ? behaviour(context) : { output: `${context.nodeId} read "${context.params.user_message}"` };
    },
  };
}

/** Settles only when the execution is aborted, as a well-behaved executor that takes forever does. */
const untilAborted: LlmBehaviour = ({ signal }) =>
  new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));

const engines: EmbeddedEngine[] = [];

function engine(executors: ExecutorMap, events = new RunEvents()): EmbeddedEngine {
  const created = createEmbeddedEngine({
    executors,
    events,
    concurrency: 4,
    llm: { apiKey: undefined, baseUrl: undefined, timeoutMs: 1_000 },
    log: () => {},
  });
  engines.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((created) => created.stop()));
});

function started(result: StartRunResult) {
  if (result.status !== "ok") throw new Error(`expected a started run, got ${JSON.stringify(result)}`);
  return result.started;
}

async function nodeStatuses(runId: string) {
  const rows = await db.nodeExecution.findMany({ where: { runId }, orderBy: { nodeId: "asc" } });
  return Object.fromEntries(rows.map((row) => [row.nodeId, row.status]));
}


describe("the embedded engine", () => {
  it("executes a run by dataflow, recording every node and the run's end, and publishes its progress", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const log: string[] = [];
    const events = new RunEvents();
    const subject = engine(testExecutors(log), events);

    const { run, realtime } = started(await createRun(owner, workflowId, { scope: "full" }, subject));
    expect(realtime.engineRunId).toMatch(/^run_[0-9a-f]{24}$/);
    expect(realtime.realtimeBaseUrl).toBeNull();
    await subject.whenSettled(run.id);

    expect(log).toEqual(["prompt", "answer", "summary"]);
    const row = await db.workflowRun.findUniqueOrThrow({ where: { id: run.id }, include: { nodeExecutions: true } });
    expect(row).toMatchObject({ status: "completed", error: null });
    expect(row.startedAt).not.toBeNull();
    expect(row.finishedAt!.getTime()).toBeGreaterThanOrEqual(row.startedAt!.getTime());
    const summary = row.nodeExecutions.find((execution) => execution.nodeId === "summary");
    expect(summary).toMatchObject({
      status: "success",
      inputs: { user_message: 'answer read "Hello"' },
      outputs: { output: `summary read "answer read "Hello""` },
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      durationMs: expect.any(Number),
    });

    expect(events.get(realtime.engineRunId)).toMatchObject({
      finished: true,
      progress: { runId: run.id, status: "completed", nodes: { summary: { status: "success" } } },
    });
  });

  it("puts LLM nodes' text on the run's text stream as it grows, starting over when a node does", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const events = new RunEvents();
    const talkative: LlmBehaviour = async ({ onText }) => {
      onText?.("First try");
      onText?.("An ");
      onText?.("An answer");
      onText?.("An answer");
      return { output: "An answer" };
    };
    const subject = engine(testExecutors([], { answer: talkative }), events);

    const { run, realtime } = started(await createRun(owner, workflowId, { scope: "full" }, subject));
    await subject.whenSettled(run.id);

    expect(events.textLog(realtime.engineRunId)).toEqual({
      finished: true,
      chunks: [
        { nodeId: "answer", offset: 0, text: "First try" },
        { nodeId: "answer", offset: 0, text: "An " },
        { nodeId: "answer", offset: 3, text: "answer" },
      ],
    });
    // The progress carries statuses and the output's preview, not the text as it grew.
    expect(events.get(realtime.engineRunId)?.progress?.nodes.answer).toMatchObject({ status: "success", preview: "An answer" });
  });

  it("records a failed node, skips what depends on it, and ends the run partial", async () => {
    const owner = await createTestUser("engine");
    const withSibling = graphOf([...graph.nodes, llm("aside")], [...graph.edges, edge("prompt", "text", "aside", "user_message")]);
    const workflowId = await createTestWorkflow(owner, withSibling);
    const subject = engine(
      testExecutors([], {
        answer: async () => {
          throw new Error("the model fell over");
        },
      }),
    );
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, subject));
    await subject.whenSettled(run.id);

    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("partial");
    expect(await nodeStatuses(run.id)).toEqual({ prompt: "success", answer: "failed", summary: "skipped", aside: "success" });
    const answer = await db.nodeExecution.findFirstOrThrow({ where: { runId: run.id, nodeId: "answer" } });
    expect(answer.error).toBe("Unexpected error: the model fell over");
  });

  it("cancels a run mid-way: the running execution is aborted and the rest never starts", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const log: string[] = [];
    const subject = engine(testExecutors(log, { answer: untilAborted }));
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, subject));
    await vi.waitFor(async () => expect((await nodeStatuses(run.id)).answer).toBe("running"), { timeout: 5_000, interval: 10 });

    expect(await cancelRun(owner, run.id, subject)).toMatchObject({ status: "ok" });
    await subject.whenSettled(run.id);

    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("cancelled");
    expect(await nodeStatuses(run.id)).toEqual({ prompt: "success", answer: "cancelled", summary: "cancelled" });
    expect(log).toEqual(["prompt", "answer"]);
  });

  it("cancels a run no engine is executing by ending it in the database", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const stranded = engine(testExecutors([], { answer: untilAborted }));
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, stranded));
    await vi.waitFor(async () => expect((await nodeStatuses(run.id)).answer).toBe("running"), { timeout: 5_000, interval: 10 });
    await stranded.stop();

    await cancelRun(owner, run.id, engine(testExecutors([])));
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("cancelled");
    expect(await nodeStatuses(run.id)).toEqual({ prompt: "success", answer: "cancelled", summary: "cancelled" });
  });

  it("resumes a run a crashed process left running: succeeded nodes keep their outputs, the rest run again", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const firstLog: string[] = [];
    // The first process hangs in `answer` and is then abandoned, as if it had been killed.
    const crashed = engine(testExecutors(firstLog, { answer: untilAborted }));
    const { run, realtime } = started(await createRun(owner, workflowId, { scope: "full" }, crashed));
    await vi.waitFor(async () => expect((await nodeStatuses(run.id)).answer).toBe("running"), { timeout: 5_000, interval: 10 });
    const promptBefore = await db.nodeExecution.findFirstOrThrow({ where: { runId: run.id, nodeId: "prompt" } });
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");

    const secondLog: string[] = [];
    const events = new RunEvents();
    const restarted = engine(testExecutors(secondLog), events);
    expect(await restarted.resumeInterruptedRuns({ ownerIds: [owner] })).toEqual([run.id]);
    await restarted.whenSettled(run.id);

    expect(secondLog).toEqual(["answer", "summary"]);
    const row = await db.workflowRun.findUniqueOrThrow({ where: { id: run.id }, include: { nodeExecutions: true } });
    expect(row).toMatchObject({ status: "completed", engineRunId: realtime.engineRunId });
    const promptAfter = row.nodeExecutions.find((execution) => execution.nodeId === "prompt");
    expect(promptAfter).toMatchObject({ status: "success", outputs: promptBefore.outputs, finishedAt: promptBefore.finishedAt });
    expect(row.nodeExecutions.find((execution) => execution.nodeId === "summary")).toMatchObject({
      status: "success",
      outputs: { output: `summary read "answer read "Hello""` },
    });
    // Watchers of the run's realtime id see the resumed execution.
    expect(events.get(realtime.engineRunId)).toMatchObject({ finished: true, progress: { status: "completed" } });
    expect(firstLog).toEqual(["prompt", "answer"]);
  });

  it("resumes a run that was written but never handed to an engine", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const log: string[] = [];
    const subject = engine(testExecutors(log));
    // As if the process had died between writing the run and engine.start.
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, new RecordingEngine()));
    await db.workflowRun.update({ where: { id: run.id }, data: { engineRunId: null } });

    expect(await subject.resumeInterruptedRuns({ ownerIds: [owner] })).toEqual([run.id]);
    await subject.whenSettled(run.id);
    const row = await db.workflowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.status).toBe("completed");
    expect(row.engineRunId).toMatch(/^run_/);
    expect(log).toEqual(["prompt", "answer", "summary"]);
  });

  it("stops without recording the runs it abandons, and refuses new starts", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const subject = engine(testExecutors([], { answer: untilAborted }));
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, subject));
    await vi.waitFor(async () => expect((await nodeStatuses(run.id)).answer).toBe("running"), { timeout: 5_000, interval: 10 });

    await subject.stop();
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");
    expect(await nodeStatuses(run.id)).toEqual({ prompt: "success", answer: "running", summary: "queued" });
    await expect(createRun(owner, workflowId, { scope: "full" }, subject)).rejects.toThrow(/shutting down/);
  });

  it("stops executing a run whose workflow was deleted", async () => {
    const owner = await createTestUser("engine");
    const workflowId = await createTestWorkflow(owner, graph);
    const log: string[] = [];
    let answerSignal: AbortSignal | undefined;
    const subject = engine(
      testExecutors(log, {
        answer: async ({ signal }) => {
          answerSignal = signal;
          await db.workflow.delete({ where: { id: workflowId } });
          return { output: "done anyway" };
        },
      }),
    );
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, subject));
    await subject.whenSettled(run.id);

    expect(log).toEqual(["prompt", "answer"]);
    expect(answerSignal?.aborted).toBe(true);
    expect(await db.workflowRun.findUnique({ where: { id: run.id } })).toBeNull();
  });
});
