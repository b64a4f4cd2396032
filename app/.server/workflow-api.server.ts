import type { GraphProblem } from "~workflow/graph-validation";
import { summarizeProblems } from "./graph.server";
import { apiError } from "./http.server";

// Answers shared by the /api/workflows routes, so each error reads the same wherever it occurs.

/** Unknown ids and other users' ids get this same answer, so ids reveal nothing. */
export function workflowNotFoundError() {
  return apiError(404, "not_found", "No workflow with this id.");
}

/** A graph that cannot be saved; nothing has been stored. */
export function invalidGraphError(problems: readonly GraphProblem[]) {
  return apiError(400, "invalid_graph", `The workflow cannot be saved: ${summarizeProblems(problems)}`, { problems });
}
