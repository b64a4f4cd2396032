import { validateGraph, type GraphLimits } from "~workflow/graph-validation";
import type { DocumentProblem } from "~/lib/workflow-document";
import { env } from "./env.server";
import { MAX_JSON_BODY_BYTES } from "./http.server";

/** The configured graph limits (MAX_GRAPH_NODES, MAX_GRAPH_BYTES). */
export function graphLimits(): GraphLimits {
  return { maxNodes: env().MAX_GRAPH_NODES, maxBytes: env().MAX_GRAPH_BYTES };
}

/** Validates a graph someone wants to save, against the configured limits. */
export function validateWorkflowGraph(input: unknown) {
  return validateGraph(input, graphLimits());
}

/**
 * Ceiling for request bodies and files that carry a graph. The graph limit measures compact JSON;
 * pretty-printed files (as export writes them) run to about twice that, and must still reach the
 * validator, which explains an oversized graph far better than a bare 413.
 */
export function maxGraphBodyBytes(): number {
  return Math.max(MAX_JSON_BODY_BYTES, 2 * env().MAX_GRAPH_BYTES);
}

/** One line naming the first problem, for the `message` of an error whose details list them all. */
export function summarizeProblems(problems: readonly Pick<DocumentProblem, "message">[]): string {
  const [first] = problems;
  if (!first) return "";
  return problems.length === 1 ? first.message : `${first.message} (and ${problems.length - 1} more problems)`;
}
