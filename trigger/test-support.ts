import { resourceCatalog, type TaskRunContext } from "@trigger.dev/core/v3";
import { StandardResourceCatalog } from "@trigger.dev/core/v3/workers";

// Helpers for the task tests. Trigger.dev has no offline executor; these reach a task's own run
// function the way its worker does, to be called inside `runInMockTaskContext`.

export type TaskRunFunction = (payload: unknown, params: { ctx: TaskRunContext; signal: AbortSignal }) => Promise<unknown>;

let catalogInstalled = false;

/**
 * Loads a task module and returns its task's run function, preceded by its payload parsing (a
 * schemaTask's schema) as the worker does. The SDK registers tasks in a global resource catalog
 * that records nothing unless a file is being indexed, so this installs a recording one first;
 * the module must not have been imported before.
 */
export async function loadTaskRunFunction(taskId: string, load: () => Promise<unknown>): Promise<TaskRunFunction> {
  if (!catalogInstalled) {
    resourceCatalog.disable();
    resourceCatalog.setGlobalResourceCatalog(new StandardResourceCatalog());
    catalogInstalled = true;
  }
  resourceCatalog.setCurrentFileContext(`trigger/${taskId}.ts`, taskId);
  try {
    await load();
  } finally {
    resourceCatalog.clearCurrentFileContext();
  }
  const task = resourceCatalog.getTask(taskId);
  if (!task) throw new Error(`Loading the module registered no task "${taskId}"; was it imported before?`);
  const { run, parsePayload } = task.fns;
  return async (payload, params) => run(parsePayload ? await parsePayload(payload) : payload, params);
}
