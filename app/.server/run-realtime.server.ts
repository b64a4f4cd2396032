import { db } from "~/.server/db.server";
import type { WorkflowEngine } from "~/.server/engine/engine.server";
import { createAccessToken } from "~/.server/engine/access-token.server";
import { getEngine } from "~/.server/engine/index.server";
import { triggerRealtimeBaseUrl } from "~/.server/engine/trigger-engine.server";

export type RunRealtimeResult =
  | { status: "ok"; engineRunId: string; accessToken: string; realtimeBaseUrl: string | null }
  | { status: "not_found" }
  /** Refused before the engine took it: there is nothing to follow. */
  | { status: "not_started" };

/**
 * A fresh read-only realtime token for one of the owner's runs, for a browser that reloaded
 * while the run goes or whose token is about to expire. Another user's run is not found.
 */
export async function runRealtimeAccess(
  ownerId: string,
  runId: string,
  engine: WorkflowEngine = getEngine(),
  binding: { share?: string } = {},
): Promise<RunRealtimeResult> {
  const run = await db.workflowRun.findFirst({ where: { id: runId, ownerId }, select: { engineRunId: true } });
  if (!run) return { status: "not_found" };
  if (run.engineRunId === null) return { status: "not_started" };
  // A share page's token names its link, so revoking the link ends it (embedded mode; Trigger.dev's
  // own tokens cannot carry such a claim, see SECURITY.md).
  const shareBound = binding.share !== undefined && engine.kind === "embedded";
  return {
    status: "ok",
    engineRunId: run.engineRunId,
    accessToken: shareBound ? createAccessToken(run.engineRunId, Date.now(), binding) : await engine.createAccessToken(run.engineRunId),
    // Null: the embedded engine serves the realtime API at the app's own origin.
    realtimeBaseUrl: engine.kind === "trigger" ? triggerRealtimeBaseUrl() : null,
  };
}
