import { randomBytes } from "node:crypto";
import { db } from "~/.server/db.server";
import type { NodeStatus, RunStatus } from "~/.server/generated/prisma/client";
import type { NodeProgress, RunProgress } from "~workflow/run-progress";
import { createTestUser } from "~test/users";

// Fixtures for the realtime tests: a persisted run with an engine run id, and progress objects
// shaped like the ones the engine publishes.

export interface TestRun {
  runId: string;
  engineRunId: string;
  createdAt: Date;
}

/** A run of a two-node workflow (a prompt feeding an LLM), as the run API leaves it for an engine. */
export async function createTestRun(
  state: { status?: RunStatus; nodes?: Partial<Record<"prompt" | "llm", NodeStatus>> } = {},
): Promise<TestRun> {
  const userId = await createTestUser("realtime");
  const graph = {
    nodes: [
      { id: "prompt", type: "text", position: { x: 0, y: 0 }, data: { text: "Write a haiku" } },
      { id: "llm", type: "run-llm", position: { x: 300, y: 0 }, data: {} },
    ],
    edges: [{ id: "e1", source: "prompt", sourceHandle: "text", target: "llm", targetHandle: "user_message" }],
  };
  const workflow = await db.workflow.create({ data: { ownerId: userId, name: "Realtime", graph } });
  const engineRunId = `run_${randomBytes(12).toString("hex")}`;
  const run = await db.workflowRun.create({
    data: {
      ownerId: userId,
      workflowId: workflow.id,
      scope: "full",
      requestedNodeIds: [],
      status: state.status ?? "queued",
      engineRunId,
      graphSnapshot: graph,
      nodeExecutions: {
        createMany: {
          data: [
            { workflowId: workflow.id, nodeId: "prompt", nodeType: "text", status: state.nodes?.prompt ?? "queued" },
            { workflowId: workflow.id, nodeId: "llm", nodeType: "run-llm", status: state.nodes?.llm ?? "queued" },
          ],
        },
      },
    },
    select: { id: true, createdAt: true },
  });
  return { runId: run.id, engineRunId, createdAt: run.createdAt };
}

function node(status: NodeProgress["status"], fields: Partial<NodeProgress> = {}): NodeProgress {
  return { status, startedAt: null, finishedAt: null, durationMs: null, preview: null, error: null, cached: false, cachedFromRunId: null, ...fields };
}

/** The run's progress at each step the tests publish: started, LLM streaming, finished. */
export function progressSteps(runId: string) {
  const startedAt = new Date().toISOString();
  const prompt = node("success", { startedAt, finishedAt: startedAt, durationMs: 0, preview: "Write a haiku" });
  const base = { version: 1, runId, startedAt, finishedAt: null, error: null } as const;
  const started: RunProgress = { ...base, status: "running", nodes: { prompt, llm: node("queued") } };
  const streaming: RunProgress = { ...base, status: "running", nodes: { prompt, llm: node("running", { startedAt, preview: "An old" }) } };
  const finishedAt = new Date(Date.parse(startedAt) + 1500).toISOString();
  const llm = node("success", { startedAt, finishedAt, durationMs: 1500, preview: "An old silent pond" });
  const finished: RunProgress = { ...base, status: "completed", finishedAt, nodes: { prompt, llm } };
  return { started, streaming, finished };
}
