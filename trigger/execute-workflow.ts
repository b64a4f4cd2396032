import { AbortTaskRunError, logger, schemaTask } from "@trigger.dev/sdk";
import { z } from "zod";
import {
  createRunStore,
  endRunWithoutEngine,
  isFinishedRunStatus,
  loadRunForExecution,
  planExecution,
  RunNotFoundError,
} from "../app/.server/engine/run-store.server";
import { env } from "../app/.server/env.server";
import { summarizeProblems } from "../app/.server/graph.server";
import { RUN_PROGRESS_METADATA_KEY, type RunProgress, type RunStatus } from "../app/lib/run-progress";
import { executeRun } from "../workflow/engine";
import { executors } from "../workflow/executors";
import type { RunPort } from "../workflow/port";
import { createInProcessRunNode } from "../workflow/run-node";
import { type ChildRunApi, type ChildTasks, createChildTasks, triggerDevChildRuns } from "./child-runs";
import { executionServices } from "./execution-services";
import { createMetadataWriter } from "./metadata-writer";
import { runsAsTask } from "./node-task";
import { checkTaskEnvironment } from "./task-environment";

/**
 * Least time between two sends of the progress to Trigger.dev (the final state goes at once). Each
 * send is an API call, and the API allows 1,500 a minute per environment, shared by every
 * orchestrator and node task: once a second keeps a busy run's changes visible and leaves room for
 * a few runs at once.
 */
export const PROGRESS_SEND_INTERVAL_MS = 1_000;

/**
 * Node task runs one workflow run keeps in flight. Each is a machine of its own; the bound keeps
 * one wide workflow from taking the environment's whole concurrency, and the open Realtime
 * subscriptions few.
 */
const CHILD_RUN_CONCURRENCY = 10;

const ExecuteWorkflowPayloadSchema = z.object({ runId: z.string().min(1) });

interface ExecuteWorkflowOutput {
  status: RunStatus;
  error: string | null;
}

/**
 * Executes one Weft run (ADR 006): the workflow core schedules its nodes by dataflow; source
 * nodes run here, the others as child tasks (crop-image, extract-frame, run-llm) that it waits
 * for over Realtime. Every transition is written to Postgres and to this run's metadata.
 */
export const executeWorkflow = schemaTask({
  id: "execute-workflow",
  schema: ExecuteWorkflowPayloadSchema,
  // It mostly waits; the default machine holds the Prisma client and the graph comfortably.
  machine: "small-1x",
  // It stays up (without suspending) while its children work: as long as the longest workflow.
  maxDuration: 3600,
  // Running orchestrators hold their slots while their children queue for the rest of the
  // environment's concurrency: too many at once and no child can start (README, Trigger.dev mode).
  queue: { name: "execute-workflow", concurrencyLimit: env().WEFT_ORCHESTRATOR_CONCURRENCY },
  run: ({ runId }, { signal }) => orchestrateRun(runId, { signal, childRuns: triggerDevChildRuns }),
  // The last attempt failed (an error the core did not turn into a result: the database gone, a
  // misconfigured project): end the run's rows, which would otherwise stay running for good.
  // What kills the process itself (out of memory, a crash, maxDuration) never reaches this hook;
  // the app reconciles those runs from Trigger.dev's own status (`reconcile` in the engine).
  onFailure: async ({ payload, error }) => {
    await endRunWithoutEngine(payload.runId, { status: "failed", error: orchestratorFailure(error) }).catch((cause: unknown) =>
      // No database to write to (the failure may be that): the app's reconciliation ends the rows.
      logger.error("Could not record the run's failure", { runId: payload.runId, error: String(cause) }),
    );
  },
  // A cancelled run gets up to 30 s (Trigger.dev's limit) to cancel its children and record it.
  onCancel: async ({ runPromise }) => {
    await runPromise.catch(() => undefined);
  },
});

function orchestratorFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `The run stopped: ${message}`;
}

async function orchestrateRun(
  runId: string,
  { signal, childRuns }: { signal: AbortSignal; childRuns: ChildRunApi },
): Promise<ExecuteWorkflowOutput> {
  checkTaskEnvironment();
  const run = await loadRunForExecution(runId);
  // Deleted with its workflow: retrying cannot bring it back.
  if (!run) throw new AbortTaskRunError(`Run ${runId} no longer exists.`);
  // Cancelled while queued, or finished by an earlier attempt.
  if (isFinishedRunStatus(run.status)) return { status: run.status, error: null };

  const planned = planExecution(run);
  if (!planned.ok) {
    const error = summarizeProblems(planned.problems);
    await endRunWithoutEngine(runId, { status: "failed", error });
    return { status: "failed", error };
  }

  const children = createChildTasks(childRuns, { runId, ownerId: run.ownerId });
  // Stops the run when its rows disappear (its workflow was deleted): the rest would be wasted work.
  const deleted = new AbortController();
  try {
    const result = await executeRun({
      runId,
      graph: run.graph,
      plan: planned.plan,
      port: orchestratorPort(runId, run.ownerId, children, deleted),
      concurrency: CHILD_RUN_CONCURRENCY,
      signal: AbortSignal.any([signal, deleted.signal]),
    });
    return { status: result.status, error: result.error };
  } finally {
    children.close();
  }
}

/** Postgres through the shared run store, progress into metadata, nodes here or as child tasks. */
function orchestratorPort(runId: string, ownerId: string, children: ChildTasks, deleted: AbortController): RunPort {
  const store = createRunStore(runId);
  const progress = createMetadataWriter<RunProgress>(RUN_PROGRESS_METADATA_KEY, PROGRESS_SEND_INTERVAL_MS);
  const runHere = createInProcessRunNode(executors, executionServices(ownerId));
  return {
    runNode: (request) => {
      const { nodeType } = request;
      return runsAsTask(nodeType) ? children.run({ ...request, nodeType }) : runHere(request);
    },
    async recordNode(update) {
      try {
        await store.recordNode(update);
      } catch (error) {
        if (error instanceof RunNotFoundError) deleted.abort(error);
        throw error;
      }
    },
    async reportProgress(snapshot) {
      const final = isFinishedRunStatus(snapshot.status);
      await Promise.all([progress.write(snapshot, { final }), store.reportProgress(snapshot)]);
    },
  };
}
