import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { createRun, type StartRunResult } from "~/.server/models/run.server";
import { deleteWorkflow } from "~/.server/models/workflow.server";
import { createTestWorkflow, RecordingEngine } from "~test/run-fixtures";
import { startGeminiStub, type GeminiStub } from "~test/gemini-stub";
import { createTestUser } from "~test/users";
import { edge, graphOf, llm, media, node } from "~workflow/test-support";
import type { NodeOutputs } from "~workflow/values";
import { createEmbeddedEngine } from "./embedded-engine.server";
import { createRunStore, findCachedExecution } from "./run-store.server";

// The output cache against the real database (ADR 016): by owner only, and never an entry whose
// files are gone. LLM calls go through the real SDK to the local Gemini stub, which counts them.

const graph = graphOf(
  [node("prompt", "text", { text: "Name the product" }), llm("answer", "")],
  [edge("prompt", "text", "answer", "user_message")],
);

let stub: GeminiStub;

beforeAll(async () => {
  stub = await startGeminiStub({ apiKey: "test-key" });
});

afterAll(async () => {
  await stub.close();
});

function started(result: StartRunResult) {
  if (result.status !== "ok") throw new Error(`expected a started run, got ${JSON.stringify(result)}`);
  return result.started.run.id;
}

describe("the output cache in the embedded engine", () => {
  it("serves a second run of the same owner from the cache, but two users with identical graphs each pay for their first run", async () => {
    const engine = createEmbeddedEngine({ concurrency: 4, llm: { apiKey: "test-key", baseUrl: stub.baseUrl, timeoutMs: 10_000 }, log: () => {} });
    try {
      const alice = await createTestUser("cache-alice");
      const bob = await createTestUser("cache-bob");
      const aliceWorkflow = await createTestWorkflow(alice, graph);
      const bobWorkflow = await createTestWorkflow(bob, graph);
      const runOf = async (ownerId: string, workflowId: string, request: { cache?: "use" | "refresh" } = {}) => {
        const runId = started(await createRun(ownerId, workflowId, { scope: "full", ...request }, engine));
        await engine.whenSettled(runId);
        return runId;
      };
      const calls = () => stub.requests.length;
      const start = calls();

      const aliceFirst = await runOf(alice, aliceWorkflow);
      expect(calls()).toBe(start + 1);
      const aliceSecond = await runOf(alice, aliceWorkflow);
      expect(calls()).toBe(start + 1);
      const cached = await db.nodeExecution.findUniqueOrThrow({ where: { runId_nodeId: { runId: aliceSecond, nodeId: "answer" } } });
      const original = await db.nodeExecution.findUniqueOrThrow({ where: { runId_nodeId: { runId: aliceFirst, nodeId: "answer" } } });
      expect(cached).toMatchObject({ status: "success", cachedFromRunId: aliceFirst, cachedFromExecutionId: original.id, outputs: original.outputs });
      expect(await db.workflowRun.findUniqueOrThrow({ where: { id: aliceSecond } })).toMatchObject({ status: "completed" });

      await runOf(bob, bobWorkflow);
      expect(calls()).toBe(start + 2);

      // refresh: nothing of the run reads the cache.
      await runOf(alice, aliceWorkflow, { cache: "refresh" });
      expect(calls()).toBe(start + 3);
    } finally {
      await engine.stop();
    }
  });
});

describe("a run request the cache can serve", () => {
  it("is settled when the run is written: the served node's row is a cached success before any engine runs", async () => {
    const engine = createEmbeddedEngine({ concurrency: 4, llm: { apiKey: "test-key", baseUrl: stub.baseUrl, timeoutMs: 10_000 }, log: () => {} });
    const owner = await createTestUser("cache-settled");
    const workflowId = await createTestWorkflow(owner, graph);
    let first: string;
    try {
      first = started(await createRun(owner, workflowId, { scope: "full" }, engine));
      await engine.whenSettled(first);
    } finally {
      await engine.stop();
    }

    // An engine that executes nothing: whatever the rows say now, createRun wrote.
    const second = started(await createRun(owner, workflowId, { scope: "full" }, new RecordingEngine()));
    const rows = await db.nodeExecution.findMany({ where: { runId: second }, orderBy: { nodeId: "asc" } });
    expect(rows.map((row) => [row.nodeId, row.status, row.cachedFromRunId])).toEqual([
      ["answer", "success", first],
      ["prompt", "idle", null],
    ]);
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: second }, select: { plan: true, estimate: true } });
    expect(run.plan).toMatchObject({ executeNodeIds: ["prompt"], reusedNodes: { answer: { cachedFrom: { runId: first } } } });
    expect(run.estimate).toMatchObject({ totalUsd: 0, nodes: { answer: { usd: 0, basis: "cached" } } });
  });
});

describe("findCachedExecution", () => {
  /** A finished run of `ownerId` whose "answer" node made `outputs` under fingerprint `fp`. */
  async function recordedSuccess(ownerId: string, fp: string, outputs: NodeOutputs) {
    const workflowId = await createTestWorkflow(ownerId, graph);
    const runId = started(await createRun(ownerId, workflowId, { scope: "full" }, new RecordingEngine()));
    await createRunStore(runId).recordNode({
      runId,
      nodeId: "answer",
      status: "success",
      outputs,
      fingerprint: fp,
      finishedAt: new Date().toISOString(),
    });
    return { workflowId, runId };
  }

  it("finds the owner's success by fingerprint and never another owner's", async () => {
    const owner = await createTestUser("cache-find");
    const stranger = await createTestUser("cache-stranger");
    const fp = `fp-${randomUUID()}`;
    const { runId } = await recordedSuccess(owner, fp, { output: "made once" });

    expect(await findCachedExecution(owner, fp)).toMatchObject({ runId, outputs: { output: "made once" } });
    expect(await findCachedExecution(stranger, fp)).toBeNull();
  });

  it("finds nothing once the workflow that made it is deleted", async () => {
    const owner = await createTestUser("cache-workflow-deleted");
    const fp = `fp-${randomUUID()}`;
    const { workflowId } = await recordedSuccess(owner, fp, { output: "made once" });
    await deleteWorkflow(owner, workflowId);

    expect(await findCachedExecution(owner, fp)).toBeNull();
  });

  it("skips an execution whose output file was deleted, falling back to an older one whose file exists", async () => {
    const owner = await createTestUser("cache-asset-deleted");
    const fp = `fp-${randomUUID()}`;
    const asset = (name: string) =>
      db.asset.create({ data: { ownerId: owner, storageKey: `test/${name}`, mime: "image/png", bytes: 1, sha256: `sha-${name}` } });
    const older = await asset("older");
    const newer = await asset("newer");
    const { runId: olderRun } = await recordedSuccess(owner, fp, { output: { ...media("older"), assetId: older.id } });
    await recordedSuccess(owner, fp, { output: { ...media("newer"), assetId: newer.id } });

    expect((await findCachedExecution(owner, fp))?.outputs).toMatchObject({ output: { assetId: newer.id } });
    await db.asset.delete({ where: { id: newer.id } });
    expect(await findCachedExecution(owner, fp)).toMatchObject({ runId: olderRun, outputs: { output: { assetId: older.id } } });
    await db.asset.delete({ where: { id: older.id } });
    expect(await findCachedExecution(owner, fp)).toBeNull();
  });
});
