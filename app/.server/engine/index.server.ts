import { db } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import { remember } from "~/.server/remember.server";
import { llmSettings } from "~/.server/llm-settings.server";
import { startModelCatalogRefresh, stopModelCatalogRefresh } from "~/.server/models-catalog.server";
import { createEmbeddedEngine, type EmbeddedEngine } from "./embedded-engine.server";
import type { WorkflowEngine } from "./engine.server";
import { createTriggerEngine } from "./trigger-engine.server";
import { UNFINISHED_RUN_STATUSES } from "~workflow/run-progress";

// One engine per process: a second one would not know the runs the first one is executing.
const processEngine = remember<{ engine?: WorkflowEngine; backgroundServices?: Promise<void> }>("engine", () => ({}));

/**
 * The engine that executes runs: Trigger.dev when TRIGGER_SECRET_KEY is set, otherwise the
 * embedded engine, configured from the environment.
 */
export function getEngine(): WorkflowEngine {
  processEngine.engine ??= createConfiguredEngine();
  return processEngine.engine;
}

/**
 * Makes `engine` the process's engine and returns the one it replaces (tests run the API
 * against an engine with their own executors or Gemini endpoint).
 */
export function replaceEngine(engine: WorkflowEngine): WorkflowEngine | undefined {
  const previous = processEngine.engine;
  processEngine.engine = engine;
  return previous;
}

function createConfiguredEngine(): WorkflowEngine {
  const config = env();
  if (config.TRIGGER_SECRET_KEY) return createTriggerEngine();
  return createEmbeddedEngine({
    concurrency: config.WEFT_NODE_CONCURRENCY,
    llm: llmSettings(),
  });
}

function isEmbedded(engine: WorkflowEngine): engine is EmbeddedEngine {
  return engine.kind === "embedded";
}

/**
 * Work the app does outside requests, started by server/index.ts once the database is migrated
 * and before it accepts requests: reading Gemini's model list (then daily), choosing the engine
 * (a misconfigured mode fails the start) and resuming the runs a previous process left unfinished. The server reaches this through the
 * Remix build (app/entry.server.tsx re-exports it), so in development it runs inside the same
 * Vite module graph as the routes and shares their engine. Runs once per process however often
 * it is called.
 */
export function startBackgroundServices(): Promise<void> {
  processEngine.backgroundServices ??= (async () => {
    startModelCatalogRefresh();
    const engine = getEngine();
    if (isEmbedded(engine)) await engine.resumeInterruptedRuns();
    // Not awaited: Trigger.dev may be slow or unreachable, and the app must start regardless.
    else void reconcileUnfinishedRuns(engine);
  })();
  return processEngine.backgroundServices;
}

/** Most runs checked with the engine at start-up, oldest first; the rest are checked when opened. */
const RECONCILE_AT_START_LIMIT = 500;

/**
 * Ends the runs whose orchestrator died while no one was looking (their rows say they are still
 * going): once at start-up; a run opened later is checked again (`getRunForOwner`).
 */
async function reconcileUnfinishedRuns(engine: WorkflowEngine): Promise<void> {
  if (!engine.reconcile) return;
  const unfinished = await db.workflowRun.findMany({
    where: { status: { in: [...UNFINISHED_RUN_STATUSES] }, engineRunId: { not: null } },
    select: { id: true, engineRunId: true },
    orderBy: { createdAt: "asc" },
    take: RECONCILE_AT_START_LIMIT,
  });
  for (const run of unfinished) {
    try {
      await engine.reconcile(run);
    } catch (error) {
      console.warn(`Could not check run ${run.id} with the engine: ${String(error)}`);
      return;
    }
  }
}

/**
 * Stops executing before the process exits (and before the embedded database stops): runs in
 * flight stay queued/running in the database and resume on the next start.
 */
export async function stopBackgroundServices(): Promise<void> {
  stopModelCatalogRefresh();
  const engine = processEngine.engine;
  if (engine && isEmbedded(engine)) await engine.stop();
}
