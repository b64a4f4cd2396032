import { AbortTaskRunError, schemaTask } from "@trigger.dev/sdk";
import { z } from "zod";
import { loadRunForExecution } from "~/.server/engine/run-store.server";
import { executeStoredRun } from "~/.server/engine/stored-run.server";
import { isFinishedRunStatus, RUN_PROGRESS_METADATA_KEY, type RunProgress, type RunStatus } from "~workflow/run-progress";
import { executors } from "~workflow/executors";
import { runsAsTask } from "~workflow/nodes/registry";
import { createInProcessRunNode } from "~workflow/run-node";
import { type ChildRunApi, createChildTasks, triggerDevChildRuns } from "./child-runs";
import { executionServices } from "./execution-services";
import { createMetadataWriter } from "./metadata-writer";
import { EXECUTE_WORKFLOW_TASK_ID } from "./names";

/**
 * Least time between two sends of the progress to Trigger.dev. Each send is an API call; twice a
 * second keeps a busy run's node changes visible without nearing the API's rate limits.
 */
const PROGRESS_SEND_INTERVAL_MS = 500;

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
  run: ({ runId }, { signal }) => orchestrateRun(runId, { signal, childRuns: triggerDevChildRuns }),
  // A cancelled run gets up to 30 s (Trigger.dev's limit) to cancel its children and record it.
  onCancel: async ({ runPromise }) => {
    await runPromise.catch(() => undefined);
  },
});

async function orchestrateRun(
  runId: string,
  { signal, childRuns }: { signal: AbortSignal; childRuns: ChildRunApi },
): Promise<ExecuteWorkflowOutput> {
  const run = await loadRunForExecution(runId);
  // Deleted with its workflow: retrying cannot bring it back.
  if (!run) throw new AbortTaskRunError(`Run ${runId} no longer exists.`);

  const children = createChildTasks(childRuns, { runId, ownerId: run.ownerId });
  const runHere = createInProcessRunNode(executors, executionServices(run.ownerId));
  const progress = createMetadataWriter<RunProgress>(RUN_PROGRESS_METADATA_KEY, PROGRESS_SEND_INTERVAL_MS);
  try {
    const executed = await executeStoredRun(
      runId,
      {
        runNode: (request) => {
          const { nodeType } = request;
          return runsAsTask(nodeType) ? children.run({ ...request, nodeType }) : runHere(request);
        },
        publishProgress: (snapshot) => progress.write(snapshot, { final: isFinishedRunStatus(snapshot.status) }),
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
