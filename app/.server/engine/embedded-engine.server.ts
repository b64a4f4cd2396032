import { randomBytes } from "node:crypto";
import { createMediaStore } from "~/.server/media-store.server";
import { executors as defaultExecutors } from "~workflow/executors";
import { createInProcessRunNode } from "~workflow/run-node";
import type { ExecutorMap, LlmSettings, MediaStore } from "~workflow/execution";
import { createAccessToken } from "./access-token.server";
import type { EngineHandle, WorkflowEngine } from "./engine.server";
import { createTextChunker } from "~/lib/llm-text-stream";
import { runEvents, type RunEvents } from "./run-events.server";
import {
  endRunWithoutEngine,
  findInterruptedRuns,
  loadRunForExecution,
  nodeCheckpoint,
  setEngineRunId,
  type RunForExecution,
} from "./run-store.server";
import { executeStoredRun } from "./stored-run.server";

export interface EmbeddedEngineOptions {
  llm: LlmSettings;
  /** Most node executions one run has in flight at once. */
  concurrency: number;
  executors?: ExecutorMap;
  /** The executors' storage for a run's owner. */
  mediaStoreFor?: (ownerId: string) => MediaStore;
  events?: RunEvents;
  /** Where failures outside any node (a run that could not be loaded or saved) are reported. */
  log?: (message: string) => void;
}

export interface EmbeddedEngine extends WorkflowEngine {
  readonly kind: "embedded";
  /**
   * Resumes the runs left queued or running by a process that ended without finishing them:
   * nodes that succeeded keep their outputs, the others run again, on the same run and engine
   * run id. Assumes this process is the only one executing embedded runs on this database.
   * `ownerIds` limits it to some users' runs (tests sharing a database). Returns the run ids.
   */
  resumeInterruptedRuns(filter?: { ownerIds?: readonly string[] }): Promise<string[]>;
  /** Resolves once the run (or, without an id, every run) this engine is executing has ended. */
  whenSettled(runId?: string): Promise<void>;
  /**
   * Stops executing: in-flight executions are aborted without recording their end, so the runs
   * stay queued/running in the database and resume on the next start. Starts are refused after.
   */
  stop(): Promise<void>;
}

interface Execution {
  engineRunId: string;
  controller: AbortController;
  /** Set when the engine stops: from then on nothing about the run is written or published. */
  detached: boolean;
  done: Promise<void>;
}

/** A WorkflowEngine that executes runs in this process with the workflow core. */
export function createEmbeddedEngine(options: EmbeddedEngineOptions): EmbeddedEngine {
  const executors = options.executors ?? defaultExecutors;
  const mediaStoreFor = options.mediaStoreFor ?? ((ownerId: string) => createMediaStore(ownerId));
  const events = options.events ?? runEvents;
  const log = options.log ?? ((message: string) => console.error(`[weft] ${message}`));
  const executions = new Map<string, Execution>();
  let stopped = false;

  function launch(runId: string, engineRunId: string, loaded?: RunForExecution): void {
    if (executions.has(runId)) return;
    const execution: Execution = {
      engineRunId,
      controller: new AbortController(),
      detached: false,
      done: Promise.resolve(),
    };
    executions.set(runId, execution);
    events.open(engineRunId);
    execution.done = execute(runId, execution, loaded)
      .catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        log(`run ${runId} stopped unexpectedly: ${message}`);
        if (execution.detached) return;
        await endRunWithoutEngine(runId, { status: "failed", error: `Unexpected error: ${message}` }).catch(() => false);
      })
      .finally(() => {
        executions.delete(runId);
        // A run that ended without a final report (abandoned, refused, failed to load) will
        // never report again; watchers fall back to the database.
        if (!events.get(engineRunId)?.finished) events.close(engineRunId);
      });
  }

  async function execute(runId: string, execution: Execution, loaded?: RunForExecution): Promise<void> {
    const run = loaded ?? (await loadRunForExecution(runId));
    if (!run) return;
    const runInProcess = createInProcessRunNode(executors, {
      media: mediaStoreFor(run.ownerId),
      llm: options.llm,
      checkpointFor: ({ runId: id, nodeId }) => nodeCheckpoint(id, nodeId),
    });
    await executeStoredRun(
      runId,
      {
        runNode(request) {
          // LLM text goes straight to the run's text stream: no database write, no progress report.
          const chunk = createTextChunker(request.nodeId);
          return runInProcess(request, (textSoFar) => {
            const piece = chunk(textSoFar);
            if (piece && !execution.detached) events.appendText(execution.engineRunId, piece);
          });
        },
        publishProgress: (progress) => events.publish(execution.engineRunId, progress),
        concurrency: options.concurrency,
        signal: execution.controller.signal,
        detached: () => execution.detached,
      },
      run,
    );
  }

  return {
    kind: "embedded",

    async start(runId: string): Promise<EngineHandle> {
      if (stopped) throw new Error("The app is shutting down; start the run again once it is back.");
      const engineRunId = executions.get(runId)?.engineRunId ?? newEngineRunId();
      launch(runId, engineRunId);
      return { engineRunId, accessToken: createAccessToken(engineRunId), realtimeBaseUrl: null };
    },

    async cancel(run) {
      const execution = executions.get(run.id);
      if (execution) {
        execution.controller.abort(new Error("The run was cancelled."));
        return;
      }
      // Nobody in this process is executing it (it never started, or its process is gone).
      await endRunWithoutEngine(run.id, { status: "cancelled", error: null });
    },

    async createAccessToken(engineRunId: string) {
      return createAccessToken(engineRunId);
    },

    async resumeInterruptedRuns(filter = {}) {
      if (stopped) return [];
      const runs = await findInterruptedRuns("embedded", filter);
      const resumed: string[] = [];
      for (const run of runs) {
        if (executions.has(run.id)) continue;
        let engineRunId = run.engineRunId;
        if (engineRunId === null) {
          // The process ended between writing the run and handing it over.
          engineRunId = newEngineRunId();
          await setEngineRunId(run.id, engineRunId);
        }
        launch(run.id, engineRunId, { ...run, engineRunId });
        resumed.push(run.id);
      }
      return resumed;
    },

    async whenSettled(runId?: string) {
      const pending = runId === undefined ? [...executions.values()] : [executions.get(runId)].filter((e) => e !== undefined);
      await Promise.all(pending.map((execution) => execution.done));
    },

    async stop() {
      stopped = true;
      for (const execution of executions.values()) {
        execution.detached = true;
        execution.controller.abort(new Error("The app is shutting down."));
      }
      await Promise.all([...executions.values()].map((execution) => execution.done));
    },
  };
}

/** What `useRealtimeRun(runId)` subscribes to: unique, and shaped like Trigger.dev's run ids. */
export function newEngineRunId(): string {
  return `run_${randomBytes(12).toString("hex")}`;
}
