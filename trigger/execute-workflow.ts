import { AbortTaskRunError, logger, schemaTask } from "@trigger.dev/sdk";
import { z } from "zod";
import { endRunWithoutEngine, loadRunForExecution } from "~/.server/engine/run-store.server";
import { executeStoredRun } from "~/.server/engine/stored-run.server";
import { env } from "~/.server/env.server";
import { executors } from "~workflow/executors";
import { runsAsTask } from "~workflow/nodes/registry";
import { createInProcessRunNode } from "~workflow/run-node";
import { compactRunProgress, isFinishedRunStatus, RUN_PROGRESS_METADATA_KEY, type RunProgressOnTheWire, type RunStatus } from "~workflow/run-progress";
import { type ChildRunApi, createChildTasks, triggerDevChildRuns } from "./child-runs";
import { executionServices } from "./execution-services";
import { createMetadataWriter } from "./metadata-writer";
import { EXECUTE_WORKFLOW_TASK_ID } from "./names";
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
  id: EXECUTE_WORKFLOW_TASK_ID,
  schema: ExecuteWorkflowPayloadSchema,
  // It mostly waits; the default machine holds the Prisma client and the graph comfortably.
  machine: "small-1x",
  // It stays up (without suspending) while its children work: as long as the longest workflow.
  maxDuration: 3600,
  // Running orchestrators hold their slots while their children queue for the rest of the
  // environment's concurrency: too many at once and no child can start (README, Trigger.dev mode).
  queue: { name: EXECUTE_WORKFLOW_TASK_ID, concurrencyLimit: env().WEFT_ORCHESTRATOR_CONCURRENCY },
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

  const children = createChildTasks(childRuns, { runId, ownerId: run.ownerId });
  const runHere = createInProcessRunNode(executors, executionServices(run.ownerId));
  const progress = createMetadataWriter<RunProgressOnTheWire>(RUN_PROGRESS_METADATA_KEY, PROGRESS_SEND_INTERVAL_MS);
  try {
    const executed = await executeStoredRun(
      runId,
      {
        runNode: (request) => {
          const { nodeType } = request;
          return runsAsTask(nodeType) ? children.run({ ...request, nodeType }) : runHere(request);
        },
        publishProgress: (snapshot) => progress.write(compactRunProgress(snapshot), { final: isFinishedRunStatus(snapshot.status) }),
        concurrency: CHILD_RUN_CONCURRENCY,
        signal,
      },
      run,
    );
    switch (executed.outcome) {
      case "missing":
        throw new AbortTaskRunError(`Run ${runId} no longer exists.`);
      case "already_finished":
        return { status: executed.status, error: null };
      case "refused":
        return { status: "failed", error: executed.error };
      case "executed":
        return { status: executed.result.status, error: executed.result.error };
    }
  } finally {
    children.close();
  }
}
