// The names Trigger.dev knows Weft's runs by, defined once for the app (which triggers and
// cancels) and the tasks (which register and tag). Node tasks are named by their node type
// (TaskNodeType), so only the orchestrator's id is written here. No SDK import: the app's
// modules load this without loading any task code.

/** The orchestrator task: one run of it executes one Weft run. */
export const EXECUTE_WORKFLOW_TASK_ID = "execute-workflow";

/** The tag on a run's orchestrator and on its node tasks: filters the Trigger.dev dashboard to one run. */
export function runTag(runId: string): string {
  return `weft-run:${runId}`;
}

/** The tag on a run's node tasks only (not its orchestrator, whose own updates would echo back to it). */
export function nodeTasksTag(runId: string): string {
  return `weft-nodes:${runId}`;
}
