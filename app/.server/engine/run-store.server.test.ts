import { describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { createRun } from "~/.server/models/run.server";
import type { RunProgress } from "~workflow/run-progress";
import { createTestWorkflow, RecordingEngine } from "~test/run-fixtures";
import { createTestUser } from "~test/users";
import { edge, graphOf, llm, media, node } from "~workflow/test-support";
import {
  createRunStore,
  endRunWithoutEngine,
  latestSuccessfulOutputs,
  loadRunForExecution,
  planExecution,
  RunNotFoundError,
} from "./run-store.server";

const graph = graphOf(
  [node("prompt", "text", { text: "Hello" }), llm("answer"), llm("summary")],
  [edge("prompt", "text", "answer", "user_message"), edge("answer", "output", "summary", "user_message")],
);

async function queuedRun() {
  const ownerId = await createTestUser("run-store");
  const workflowId = await createTestWorkflow(ownerId, graph);
  const result = await createRun(ownerId, workflowId, { scope: "full" }, new RecordingEngine());
  if (result.status !== "ok") throw new Error(`could not create the run: ${JSON.stringify(result)}`);
  return { ownerId, workflowId, runId: result.started.run.id };
}

function progress(runId: string, fields: Partial<RunProgress>): RunProgress {
  return { version: 1, runId, status: "running", startedAt: "2026-01-01T10:00:00.000Z", finishedAt: null, nodes: {}, error: null, ...fields };
}

async function nodeRow(runId: string, nodeId: string) {
  return db.nodeExecution.findUniqueOrThrow({ where: { runId_nodeId: { runId, nodeId } } });
}

describe("createRunStore", () => {
  it("records a node's transitions in its row", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);

    await store.recordNode({ runId, nodeId: "prompt", status: "queued" });
    await store.recordNode({
      runId,
      nodeId: "prompt",
      status: "running",
      startedAt: "2026-01-01T10:00:01.000Z",
      inputs: { text: "Hello", unused: undefined },
      fingerprint: "abc",
    });
    expect(await nodeRow(runId, "prompt")).toMatchObject({
      status: "running",
      startedAt: new Date("2026-01-01T10:00:01.000Z"),
      inputs: { text: "Hello" },
      fingerprint: "abc",
      outputs: null,
    });

    await store.recordNode({
      runId,
      nodeId: "prompt",
      status: "success",
      outputs: { text: "Hello" },
      finishedAt: "2026-01-01T10:00:01.250Z",
      durationMs: 250,
    });
    expect(await nodeRow(runId, "prompt")).toMatchObject({
      status: "success",
      inputs: { text: "Hello" },
      outputs: { text: "Hello" },
      fingerprint: "abc",
      error: null,
      finishedAt: new Date("2026-01-01T10:00:01.250Z"),
      durationMs: 250,
    });
  });

  it("clears what an earlier attempt left when a node is queued or started again", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);
    await store.recordNode({
      runId,
      nodeId: "answer",
      status: "failed",
      inputs: { user_message: "Hello" },
      error: "Gemini rejected the API key.",
      startedAt: "2026-01-01T10:00:01.000Z",
      finishedAt: "2026-01-01T10:00:02.000Z",
      durationMs: 1000,
      fingerprint: "old",
    });

    await store.recordNode({ runId, nodeId: "answer", status: "queued" });
    expect(await nodeRow(runId, "answer")).toMatchObject({
      status: "queued",
      inputs: null,
      error: null,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      fingerprint: null,
    });
  });

  it("queues a run's nodes in one write, clearing what an earlier attempt left, and leaves the others", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);
    await store.recordNode({ runId, nodeId: "prompt", status: "success", outputs: { text: "Hello" }, finishedAt: "2026-01-01T10:00:01.000Z" });
    await store.recordNode({
      runId,
      nodeId: "answer",
      status: "running",
      inputs: { user_message: "Hello" },
      startedAt: "2026-01-01T10:00:01.000Z",
      fingerprint: "old",
    });

    await store.recordQueued({ runId, nodeIds: ["answer"] });
    expect(await nodeRow(runId, "answer")).toMatchObject({ status: "queued", inputs: null, startedAt: null, fingerprint: null });
    expect(await nodeRow(runId, "prompt")).toMatchObject({ status: "success", outputs: { text: "Hello" } });
  });

  it("applies a run's node writes in the order they were recorded, however many are on their way", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);
    const statuses = ["running", "success", "queued", "running", "failed", "queued", "running", "success"] as const;
    // None waits for the one before, as the scheduler records a node's dependents' starts behind its end.
    await Promise.all(
      statuses.map((status, index) =>
        store.recordNode({ runId, nodeId: "answer", status, startedAt: `2026-01-01T10:00:0${index}.000Z`, ...(status === "failed" ? { error: "no" } : {}) }),
      ),
    );
    expect(await nodeRow(runId, "answer")).toMatchObject({ status: "success", startedAt: new Date("2026-01-01T10:00:07.000Z"), error: null });
  });

  it("commits a node's end with what is recorded beside it, each paid node's cost added to the run once", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);
    await Promise.all([
      store.recordNode({ runId, nodeId: "prompt", status: "success", outputs: { text: "Hello" }, costUsd: 0.25 }),
      store.recordNode({ runId, nodeId: "answer", status: "running", startedAt: "2026-01-01T10:00:01.000Z" }),
      store.recordNode({ runId, nodeId: "answer", status: "success", outputs: { output: "Hi" }, costUsd: 0.5 }),
    ]);
    expect(await nodeRow(runId, "prompt")).toMatchObject({ status: "success", costUsd: 0.25 });
    expect(await nodeRow(runId, "answer")).toMatchObject({ status: "success", outputs: { output: "Hi" }, costUsd: 0.5 });
    expect(await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, select: { costUsd: true } })).toEqual({ costUsd: 0.75 });
  });

  it("throws RunNotFoundError once the run is gone", async () => {
    const { runId, workflowId } = await queuedRun();
    await db.workflow.delete({ where: { id: workflowId } });
    await expect(createRunStore(runId).recordNode({ runId, nodeId: "prompt", status: "queued" })).rejects.toBeInstanceOf(
      RunNotFoundError,
    );
    await expect(createRunStore(runId).recordQueued({ runId, nodeIds: ["prompt", "answer"] })).rejects.toBeInstanceOf(RunNotFoundError);
  });

  it("writes the run's status only when it changes, and never after it finished", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);

    await store.reportProgress(progress(runId, { status: "running" }));
    const running = await db.workflowRun.findUniqueOrThrow({ where: { id: runId } });
    expect(running).toMatchObject({ status: "running", startedAt: new Date("2026-01-01T10:00:00.000Z"), finishedAt: null });

    // A report that does not change the status leaves the row alone (even a later startedAt).
    await db.workflowRun.update({ where: { id: runId }, data: { error: "marker" } });
    await store.reportProgress(progress(runId, { status: "running", startedAt: "2026-01-01T11:00:00.000Z" }));
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).error).toBe("marker");

    await store.reportProgress(
      progress(runId, { status: "partial", finishedAt: "2026-01-01T10:00:05.000Z", error: "Could not save the state of X" }),
    );
    expect(await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "partial",
      startedAt: new Date("2026-01-01T10:00:00.000Z"),
      finishedAt: new Date("2026-01-01T10:00:05.000Z"),
      error: "Could not save the state of X",
    });

    // Another store (a stale process) cannot reopen or rewrite a finished run.
    await createRunStore(runId).reportProgress(progress(runId, { status: "running" }));
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("partial");
  });

  it("keeps the first start time when a resumed run reports running again", async () => {
    const { runId } = await queuedRun();
    await createRunStore(runId).reportProgress(progress(runId, { status: "running" }));
    await createRunStore(runId).reportProgress(progress(runId, { status: "running", startedAt: "2026-01-01T12:00:00.000Z" }));
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).startedAt).toEqual(
      new Date("2026-01-01T10:00:00.000Z"),
    );
  });

  it("applies run transitions in the order they were reported", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);
    // Not awaited one by one: the engine does not wait for intermediate reports either.
    await Promise.all([
      store.reportProgress(progress(runId, { status: "running" })),
      store.reportProgress(progress(runId, { status: "completed", finishedAt: "2026-01-01T10:00:03.000Z" })),
    ]);
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("completed");
  });
});

describe("planExecution", () => {
  it("executes the nodes that did not succeed and keeps the outputs of those that did", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);
    await store.recordNode({ runId, nodeId: "prompt", status: "success", outputs: { text: "Hello" }, finishedAt: "2026-01-01T10:00:01.000Z" });
    await store.recordNode({ runId, nodeId: "answer", status: "running", startedAt: "2026-01-01T10:00:01.000Z" });

    const run = await loadRunForExecution(runId);
    const planned = planExecution(run!);
    expect(planned).toMatchObject({
      ok: true,
      plan: {
        executeNodeIds: ["answer", "summary"],
        reusedNodes: { prompt: { outputs: { text: "Hello" }, finishedAt: "2026-01-01T10:00:01.000Z" } },
      },
    });
  });

  it("finishes a run whose nodes all succeeded by executing nothing", async () => {
    const { runId } = await queuedRun();
    const store = createRunStore(runId);
    for (const nodeId of ["prompt", "answer", "summary"]) {
      await store.recordNode({ runId, nodeId, status: "success", outputs: nodeId === "prompt" ? { text: "x" } : { output: "y" } });
    }
    const planned = planExecution((await loadRunForExecution(runId))!);
    expect(planned).toMatchObject({ ok: true, plan: { executeNodeIds: [] } });
    expect(planned.ok && Object.keys(planned.plan.reusedNodes).sort()).toEqual(["answer", "prompt", "summary"]);
  });
});

describe("latestSuccessfulOutputs", () => {
  it("gives each node's newest successful outputs in the workflow, ignoring failures and other node types", async () => {
    const { runId: first, workflowId, ownerId } = await queuedRun();
    const second = await createRun(ownerId, workflowId, { scope: "full" }, new RecordingEngine());
    if (second.status !== "ok") throw new Error("second run refused");
    const secondId = second.started.run.id;

    await createRunStore(first).recordNode({ runId: first, nodeId: "answer", status: "success", outputs: { output: "old" }, finishedAt: "2026-01-01T10:00:00.000Z" });
    await createRunStore(secondId).recordNode({ runId: secondId, nodeId: "answer", status: "success", outputs: { output: "new" }, finishedAt: "2026-01-02T10:00:00.000Z" });
    await createRunStore(first).recordNode({ runId: first, nodeId: "summary", status: "failed", error: "no", finishedAt: "2026-01-03T10:00:00.000Z" });
    await createRunStore(first).recordNode({ runId: first, nodeId: "prompt", status: "success", outputs: { image: media("x") }, finishedAt: "2026-01-01T10:00:00.000Z" });

    expect(
      await latestSuccessfulOutputs(workflowId, [
        { id: "answer", type: "run-llm" },
        { id: "summary", type: "run-llm" },
        // Same id, another type now: its outputs are not this node's.
        { id: "prompt", type: "upload-image" },
      ]),
    ).toEqual({ answer: { output: "new" } });
    expect(await latestSuccessfulOutputs(workflowId, [])).toEqual({});
  });
});

describe("endRunWithoutEngine", () => {
  it("ends an unfinished run and its unfinished nodes, once", async () => {
    const { runId } = await queuedRun();
    await createRunStore(runId).recordNode({ runId, nodeId: "prompt", status: "success", outputs: { text: "Hello" } });

    expect(await endRunWithoutEngine(runId, { status: "cancelled", error: null })).toBe(true);
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { nodeExecutions: true } });
    expect(run.status).toBe("cancelled");
    expect(run.finishedAt).not.toBeNull();
    expect(Object.fromEntries(run.nodeExecutions.map((row) => [row.nodeId, row.status]))).toEqual({
      prompt: "success",
      answer: "cancelled",
      summary: "cancelled",
    });

    expect(await endRunWithoutEngine(runId, { status: "failed", error: "late" })).toBe(false);
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
  });
});
