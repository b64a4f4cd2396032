import { json } from "@remix-run/node";
import type { z } from "zod";
import type { PlanProblem, PlanProblemCode } from "~workflow/plan";
import { summarizeProblems } from "./graph.server";
import { apiError } from "./http.server";
import { describeIssues } from "~workflow/validation-messages";
import type { StartRunResult } from "./models/run.server";
import type { StartedRun } from "~/lib/runs/run-schemas";

// Answers shared by the /api/…/runs routes, so each error reads the same wherever it occurs.

/** Unknown ids and other users' ids get this same answer, so ids reveal nothing. */
export function runNotFoundError() {
  return apiError(404, "not_found", "No run with this id.");
}

export function invalidQueryError(error: z.ZodError) {
  return apiError(400, "invalid_request", describeIssues(error));
}

/**
 * A refused run is a 400 when the request itself is wrong (scope, node ids, a graph that cannot
 * run) and a 409 when the request is fine but the workflow's state does not allow it yet: an
 * upstream node without a successful output, or a retry with nothing left to retry.
 */
const CONFLICTS = new Set<PlanProblemCode>(["missing_upstream_output", "nothing_to_retry"]);
const REQUEST_PROBLEMS = new Set<PlanProblemCode>(["invalid_scope", "unknown_node"]);

function refusedRunError(problems: PlanProblem[]) {
  const conflict = problems.find((problem) => CONFLICTS.has(problem.code));
  const message = summarizeProblems(problems);
  if (conflict) return apiError(409, conflict.code, message, { problems });
  if (problems.some((problem) => REQUEST_PROBLEMS.has(problem.code))) {
    return apiError(400, "invalid_run_request", message, { problems });
  }
  return apiError(400, "invalid_graph", `The workflow cannot run: ${message}`, { problems });
}

/**
 * 202 with what the browser needs to follow the run live: `useRealtimeRun(realtime.runId,
 * { accessToken, baseURL })`. The embedded engine serves the realtime API itself, at this origin.
 */
export function startRunResponse(request: Request, result: Exclude<StartRunResult, { status: "not_found" }>) {
  if (result.status === "refused") return refusedRunError(result.problems);
  if (result.status === "budget_exceeded") {
    const { message, ...figures } = result.refusal;
    return apiError(402, "budget_exceeded", message, figures);
  }
  if (result.status === "too_many_runs") {
    return apiError(
      429,
      "too_many_runs",
      `You already have ${result.limit} runs queued or running; wait for one to finish (or cancel one) before starting another.`,
      { limit: result.limit },
    );
  }
  const { run, realtime } = result.started;
  const body: StartedRun = {
    run: { id: run.id, status: run.status, scope: run.scope },
    realtime: {
      runId: realtime.engineRunId,
      accessToken: realtime.accessToken,
      baseURL: realtime.realtimeBaseUrl ?? new URL(request.url).origin,
    },
  };
  return json(
    body,
    // It carries a token: no cache may keep it.
    { status: 202, headers: { "Cache-Control": "no-store" } },
  );
}
