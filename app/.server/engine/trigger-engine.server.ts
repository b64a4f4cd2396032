import { auth, runs, tasks } from "@trigger.dev/sdk";
import { env } from "~/.server/env.server";
import { engineRunEnded, engineRunEndMessage } from "~/lib/runs/engine-run-end";
// Type only: the app triggers the task by id and never loads task code.
import type { executeWorkflow } from "~trigger/execute-workflow";
import { EXECUTE_WORKFLOW_TASK_ID, runTag } from "~trigger/names";
import type { EngineHandle, WorkflowEngine } from "./engine.server";
import { endRunWithoutEngine } from "./run-store.server";

/** Lifetime of the read-only realtime tokens handed to browsers, as in embedded mode. */
const ACCESS_TOKEN_TTL = "15m";

const DEFAULT_API_URL = "https://api.trigger.dev";

/**
 * How long an orchestrator run may wait in its queue before Trigger.dev expires it, set
 * explicitly: development runs otherwise get the platform's own default when no `trigger dev`
 * session is connected. An hour covers a queue held back by the orchestrator concurrency limit;
 * a run that expires is ended by `reconcile` with a message saying so.
 */
const ORCHESTRATOR_TTL = "1h";

/**
 * Executes runs as Trigger.dev tasks (TRIGGER_SECRET_KEY set): the `execute-workflow` task
 * orchestrates a run and triggers a task per media or LLM node (ADR 006). The SDK reads
 * TRIGGER_SECRET_KEY and TRIGGER_API_URL from the environment itself; app/.server/env.server.ts
 * declares both so the app checks them with the rest of its settings.
 */
export function createTriggerEngine(): WorkflowEngine {
  return {
    kind: "trigger",

    async start(runId): Promise<EngineHandle> {
      const handle = await tasks.trigger<typeof executeWorkflow>(
        EXECUTE_WORKFLOW_TASK_ID,
        { runId },
        {
          tags: [runTag(runId)],
          // Starting the same run twice (a repeated request) finds the orchestrator already started.
          idempotencyKey: [runTag(runId)],
          ttl: ORCHESTRATOR_TTL,
        },
        { publicAccessToken: { expirationTime: ACCESS_TOKEN_TTL } },
      );
      return {
        engineRunId: handle.id,
        accessToken: handle.publicAccessToken,
        realtimeBaseUrl: triggerRealtimeBaseUrl(),
      };
    },

    async cancel(run) {
      // Cancelling the orchestrator cancels its node tasks too. One that is executing records the
      // cancellation itself, but one still queued never runs, and one that crashed for good never
      // will: the rows are ended here in every case.
      try {
        if (run.engineRunId !== null) await runs.cancel(run.engineRunId);
      } finally {
        await endRunWithoutEngine(run.id, { status: "cancelled", error: null });
      }
    },

    createAccessToken(engineRunId) {
      return auth.createPublicToken({ scopes: { read: { runs: [engineRunId] } }, expirationTime: ACCESS_TOKEN_TTL });
    },

    async reconcile(run) {
      if (run.engineRunId === null) return false;
      const remote = await runs.retrieve(run.engineRunId);
      if (!engineRunEnded(remote)) return false;
      const state = { status: remote.status, errorMessage: remote.error?.message };
      // Only rows still unfinished change: an orchestrator that recorded the end wins.
      return endRunWithoutEngine(run.id, {
        status: remote.status === "CANCELED" ? "cancelled" : "failed",
        error: engineRunEndMessage(state),
      });
    },
  };
}

/**
 * Where browsers reach Trigger.dev's realtime API: TRIGGER_PUBLIC_API_URL (a self-hosted
 * instance whose TRIGGER_API_URL is an internal address), else TRIGGER_API_URL, else the cloud.
 */
export function triggerRealtimeBaseUrl(): string {
  const config = env();
  return config.TRIGGER_PUBLIC_API_URL ?? config.TRIGGER_API_URL ?? DEFAULT_API_URL;
}
