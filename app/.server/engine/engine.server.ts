/**
 * How the app hands a persisted run to whatever executes it. Two implementations: the embedded
 * engine (default; runs the workflow core in this process) and Trigger.dev (TRIGGER_SECRET_KEY
 * set; triggers the `execute-workflow` task). Routes only ever talk to this interface.
 */
export interface WorkflowEngine {
  readonly kind: "embedded" | "trigger";
  /**
   * Starts executing a run whose WorkflowRun and NodeExecution rows are already written.
   * Returns the engine's run id (stored as WorkflowRun.engineRunId) and a short-lived token
   * that may only read that run's realtime updates.
   */
  start(runId: string): Promise<EngineHandle>;
  /** Asks the engine to stop the run; it ends as `cancelled` shortly after. */
  cancel(run: { id: string; engineRunId: string | null }): Promise<void>;
  /** A fresh read-only realtime token for a run (page reloads, expiring tokens). */
  createAccessToken(engineRunId: string): Promise<string>;
  /**
   * For a run whose rows say it is still going: asks the engine whether its run in fact ended
   * (an orchestrator that crashed, timed out or expired writes nothing) and, if so, ends the rows.
   * Resolves true when it ended them. The embedded engine has none: it resumes what it left.
   */
  reconcile?(run: { id: string; engineRunId: string | null }): Promise<boolean>;
}

export interface EngineHandle {
  engineRunId: string;
  accessToken: string;
  /** What `useRealtimeRun` must use as `baseURL`: Trigger.dev's API, or null for this app itself. */
  realtimeBaseUrl: string | null;
}
