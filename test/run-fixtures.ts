import { randomUUID } from "node:crypto";
import { db } from "~/.server/db.server";
import type { EngineHandle, WorkflowEngine } from "~/.server/engine/engine.server";
import { createWorkflow } from "~/.server/models/workflow.server";
import type { Graph } from "~workflow/graph";

// Helpers for the tests of runs against the real database: owners, workflows, and an engine
// double that starts nothing.

export async function createTestWorkflow(ownerId: string, graph: Graph, name = "Runs under test"): Promise<string> {
  return (await createWorkflow(ownerId, { name, graph })).id;
}

/** What the database held for a run at the moment the engine was asked to start it. */
export interface StartObservation {
  runId: string;
  run: { status: string; engine: string } | null;
  nodes: { nodeId: string; status: string }[];
}

/** A WorkflowEngine that records what it is asked to do and executes nothing. */
export class RecordingEngine implements WorkflowEngine {
  readonly kind = "embedded" as const;
  readonly starts: StartObservation[] = [];
  readonly cancels: { id: string; engineRunId: string | null }[] = [];

  async start(runId: string): Promise<EngineHandle> {
    const [run, nodes] = await Promise.all([
      db.workflowRun.findUnique({ where: { id: runId }, select: { status: true, engine: true } }),
      db.nodeExecution.findMany({ where: { runId }, select: { nodeId: true, status: true }, orderBy: { nodeId: "asc" } }),
    ]);
    this.starts.push({ runId, run, nodes });
    const engineRunId = `run_test_${randomUUID()}`;
    return { engineRunId, accessToken: `token-for-${engineRunId}`, realtimeBaseUrl: null };
  }

  async cancel(run: { id: string; engineRunId: string | null }): Promise<void> {
    this.cancels.push(run);
  }

  async createAccessToken(engineRunId: string): Promise<string> {
    return `token-for-${engineRunId}`;
  }
}
