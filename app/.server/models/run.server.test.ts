import { describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { createRunStore } from "~/.server/engine/run-store.server";
import type { WorkflowEngine } from "~/.server/engine/engine.server";
import { createTestWorkflow, RecordingEngine } from "~test/run-fixtures";
import { createTestUser } from "~test/users";
import { edge, graphOf, llm, node } from "~workflow/test-support";
import {
  cancelRun,
  createRun,
  decodeRunCursor,
  encodeRunCursor,
  getRunForOwner,
  listRuns,
  retryRun,
  type StartRunResult,
} from "./run.server";

// prompt → answer → summary, and an unrelated note.
const graph = graphOf(
  [node("prompt", "text", { text: "Hello" }), llm("answer"), llm("summary"), node("note", "text", { text: "aside" })],
  [edge("prompt", "text", "answer", "user_message"), edge("answer", "output", "summary", "user_message")],
);

function started(result: StartRunResult) {
  if (result.status !== "ok") throw new Error(`expected a started run, got ${JSON.stringify(result)}`);
  return result.started;
}

async function finish(runId: string, statuses: Record<string, "success" | "failed" | "skipped">, runStatus: "completed" | "partial" | "failed") {
  const store = createRunStore(runId);
  for (const [nodeId, status] of Object.entries(statuses)) {
    await store.recordNode({
      runId,
      nodeId,
      status,
      ...(status === "success" ? { outputs: nodeId === "prompt" || nodeId === "note" ? { text: `${nodeId} out` } : { output: `${nodeId} out` } } : { error: "boom" }),
      finishedAt: new Date().toISOString(),
    });
  }
  await store.reportProgress({
    version: 1,
    runId,
    status: runStatus,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    nodes: {},
    error: null,
  });
}

describe("createRun", () => {
  it("writes the queued run and its idle node rows before the engine is started", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();

    const { run, realtime } = started(await createRun(owner, workflowId, { scope: "full" }, engine));

    expect(engine.starts).toEqual([
      {
        runId: run.id,
        run: { status: "queued", engine: "embedded" },
        nodes: ["answer", "note", "prompt", "summary"].map((nodeId) => ({ nodeId, status: "idle" })),
      },
    ]);
    expect(run).toMatchObject({ workflowId, status: "queued", scope: "full", requestedNodeIds: [], retryOfId: null });
    const row = await db.workflowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.engineRunId).toBe(realtime.engineRunId);
    expect(row.graphSnapshot).toEqual(graph);
    expect(row.plan).toEqual({ executeNodeIds: ["prompt", "answer", "summary", "note"], reusedNodes: {}, upstreamOutputs: {} });
  });

  it("runs a selection with the source nodes feeding it, taking upstream compute nodes' latest outputs", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();

    // `summary` needs `answer`'s output, which no run has produced yet.
    expect(await createRun(owner, workflowId, { scope: "single", nodeIds: ["summary"] }, engine)).toMatchObject({
      status: "refused",
      problems: [{ code: "missing_upstream_output", nodeId: "answer" }],
    });
    expect(engine.starts).toEqual([]);
    expect(await db.workflowRun.count({ where: { workflowId } })).toBe(0);

    const first = started(await createRun(owner, workflowId, { scope: "full" }, engine));
    await finish(first.run.id, { prompt: "success", answer: "success", summary: "success", note: "success" }, "completed");

    const single = started(await createRun(owner, workflowId, { scope: "single", nodeIds: ["summary"] }, engine));
    expect(single.run).toMatchObject({ scope: "single", requestedNodeIds: ["summary"] });
    const row = await db.workflowRun.findUniqueOrThrow({ where: { id: single.run.id }, include: { nodeExecutions: true } });
    expect(row.plan).toMatchObject({ executeNodeIds: ["summary"], upstreamOutputs: { answer: { output: "answer out" } } });
    expect(row.nodeExecutions.map((execution) => execution.nodeId)).toEqual(["summary"]);

    const selected = started(await createRun(owner, workflowId, { scope: "selected", nodeIds: ["answer", "answer"] }, engine));
    const selectedRow = await db.workflowRun.findUniqueOrThrow({ where: { id: selected.run.id } });
    // The Text node feeding the selection runs with it, for its current value.
    expect(selectedRow.plan).toMatchObject({ executeNodeIds: ["prompt", "answer"], upstreamOutputs: {} });
    expect(selectedRow.requestedNodeIds).toEqual(["answer"]);
  });

  it("refuses unknown node ids and bad scopes, and answers not_found for another owner's workflow", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();

    expect(await createRun(owner, workflowId, { scope: "selected", nodeIds: ["ghost"] }, engine)).toMatchObject({
      status: "refused",
      problems: [{ code: "unknown_node", nodeId: "ghost" }],
    });
    expect(await createRun(owner, workflowId, { scope: "single", nodeIds: ["prompt", "answer"] }, engine)).toMatchObject({
      status: "refused",
      problems: [{ code: "invalid_scope" }],
    });
    expect(await createRun(await createTestUser(), workflowId, { scope: "full" }, engine)).toEqual({ status: "not_found" });
    expect(engine.starts).toEqual([]);
  });

  it("marks the run failed when the engine cannot start it", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const broken: WorkflowEngine = {
      kind: "trigger",
      start: () => Promise.reject(new Error("Trigger.dev is unreachable")),
      cancel: () => Promise.resolve(),
      createAccessToken: () => Promise.resolve(""),
    };
    await expect(createRun(owner, workflowId, { scope: "full" }, broken)).rejects.toThrow("Trigger.dev is unreachable");
    const run = await db.workflowRun.findFirstOrThrow({ where: { workflowId }, include: { nodeExecutions: true } });
    expect(run).toMatchObject({ status: "failed", engine: "trigger", error: "The run could not be started: Trigger.dev is unreachable" });
    expect(new Set(run.nodeExecutions.map((execution) => execution.status))).toEqual(new Set(["cancelled"]));
  });
});

describe("getRunForOwner", () => {
  it("gives the run with its node executions in graph order, and null for anyone else", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, new RecordingEngine()));
    await finish(run.id, { prompt: "success", answer: "failed", summary: "skipped", note: "success" }, "partial");

    const detail = await getRunForOwner(owner, run.id);
    expect(detail).toMatchObject({ id: run.id, status: "partial", scope: "full" });
    expect(detail?.durationMs).toEqual(expect.any(Number));
    expect(detail?.nodes.map((execution) => [execution.nodeId, execution.nodeType, execution.status])).toEqual([
      ["prompt", "text", "success"],
      ["answer", "run-llm", "failed"],
      ["summary", "run-llm", "skipped"],
      ["note", "text", "success"],
    ]);
    expect(detail?.nodes[0]).toMatchObject({ outputs: { text: "prompt out" }, error: null });
    expect(detail?.nodes[1]).toMatchObject({ outputs: null, error: "boom" });

    expect(await getRunForOwner(await createTestUser(), run.id)).toBeNull();
    expect(await getRunForOwner(owner, "no-such-run")).toBeNull();
  });
});

describe("listRuns", () => {
  it("pages through a workflow's runs newest first with an opaque cursor", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const otherWorkflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push(started(await createRun(owner, workflowId, { scope: "full" }, engine)).run.id);
    await createRun(owner, otherWorkflowId, { scope: "full" }, engine);
    // Two runs created in the same millisecond are ordered by id.
    const sameTime = new Date("2026-01-01T10:00:00.000Z");
    await db.workflowRun.updateMany({ where: { id: { in: ids.slice(1, 3) } }, data: { createdAt: sameTime } });
    await db.workflowRun.update({ where: { id: ids[0] }, data: { createdAt: new Date("2025-12-31T10:00:00.000Z") } });
    const expected = [ids[4], ids[3], ...ids.slice(1, 3).sort().reverse(), ids[0]];

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listRuns(owner, workflowId, { cursor: cursor === null ? undefined : decodeRunCursor(cursor)!, limit: 2 });
      if (!page) throw new Error("workflow not found");
      seen.push(...page.runs.map((run) => run.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);

    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
    expect(await listRuns(await createTestUser(), workflowId, { limit: 20 })).toBeNull();
  });

  it("has no next page when the last page is exactly full", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();
    await createRun(owner, workflowId, { scope: "full" }, engine);
    await createRun(owner, workflowId, { scope: "full" }, engine);
    expect(await listRuns(owner, workflowId, { limit: 2 })).toMatchObject({ nextCursor: null });
  });

  it("decodes only cursors it encoded", () => {
    const cursor = { createdAt: new Date("2026-01-01T10:00:00.123Z"), id: "cabc" };
    expect(decodeRunCursor(encodeRunCursor(cursor))).toEqual(cursor);
    expect(decodeRunCursor("garbage")).toBeNull();
    expect(decodeRunCursor(Buffer.from('["yesterday","x"]').toString("base64url"))).toBeNull();
  });
});

describe("cancelRun", () => {
  it("asks the engine to cancel an unfinished run and refuses a finished one", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();
    const { run, realtime } = started(await createRun(owner, workflowId, { scope: "full" }, engine));

    expect(await cancelRun(await createTestUser(), run.id, engine)).toEqual({ status: "not_found" });
    expect(await cancelRun(owner, run.id, engine)).toMatchObject({ status: "ok", run: { id: run.id } });
    expect(engine.cancels).toEqual([{ id: run.id, engineRunId: realtime.engineRunId }]);

    await finish(run.id, {}, "completed");
    expect(await cancelRun(owner, run.id, engine)).toMatchObject({ status: "finished", run: { status: "completed" } });
    expect(engine.cancels).toHaveLength(1);
  });
});

describe("retryRun", () => {
  it("re-executes only the nodes that did not succeed, reusing the others' results", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, engine));

    expect(await retryRun(owner, run.id, engine)).toEqual({ status: "not_finished" });

    await finish(run.id, { prompt: "success", answer: "failed", summary: "skipped", note: "success" }, "partial");
    const retry = started(await retryRun(owner, run.id, engine));
    expect(retry.run).toMatchObject({ retryOfId: run.id, scope: "full", status: "queued" });

    expect(engine.starts.at(-1)).toEqual({
      runId: retry.run.id,
      run: { status: "queued", engine: "embedded" },
      nodes: [
        { nodeId: "answer", status: "idle" },
        { nodeId: "note", status: "success" },
        { nodeId: "prompt", status: "success" },
        { nodeId: "summary", status: "idle" },
      ],
    });
    const detail = await getRunForOwner(owner, retry.run.id);
    expect(detail?.nodes.find((execution) => execution.nodeId === "prompt")).toMatchObject({ outputs: { text: "prompt out" } });

    expect(await retryRun(await createTestUser(), run.id, engine)).toEqual({ status: "not_found" });
  });

  it("refuses to retry a run whose every node succeeded", async () => {
    const owner = await createTestUser();
    const workflowId = await createTestWorkflow(owner, graph);
    const engine = new RecordingEngine();
    const { run } = started(await createRun(owner, workflowId, { scope: "full" }, engine));
    await finish(run.id, { prompt: "success", answer: "success", summary: "success", note: "success" }, "completed");

    expect(await retryRun(owner, run.id, engine)).toMatchObject({ status: "refused", problems: [{ code: "nothing_to_retry" }] });
    expect(await db.workflowRun.count({ where: { workflowId } })).toBe(1);
  });
});
