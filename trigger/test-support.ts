import { lifecycleHooks, resourceCatalog, type TaskRunContext } from "@trigger.dev/core/v3";
import { StandardLifecycleHooksManager, StandardResourceCatalog } from "@trigger.dev/core/v3/workers";

// Helpers for the task tests. Trigger.dev has no offline executor; these reach a task's own run
// function the way its worker does, to be called inside `runInMockTaskContext`.

export type TaskRunFunction = (payload: unknown, params: { ctx: TaskRunContext; signal: AbortSignal }) => Promise<unknown>;

let catalogInstalled = false;
const loadedHooks = new Map<string, StandardLifecycleHooksManager>();

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
  // The task's hooks (onFailure, onCancel) register with whatever manager is installed when its
  // module loads; the worker installs one first, and so does this (the mock context replaces it).
  const hooks = new StandardLifecycleHooksManager();
  lifecycleHooks.disable();
  lifecycleHooks.setGlobalLifecycleHooksManager(hooks);
  try {
    await load();
  } finally {
    resourceCatalog.clearCurrentFileContext();
  }
  loadedHooks.set(taskId, hooks);
  const task = resourceCatalog.getTask(taskId);
  if (!task) throw new Error(`Loading the module registered no task "${taskId}"; was it imported before?`);
  const { run, parsePayload } = task.fns;
  return async (payload, params) => run(parsePayload ? await parsePayload(payload) : payload, params);
}

/** The onFailure hook of a task loaded with `loadTaskRunFunction`. */
export function taskFailureHook(taskId: string) {
  const hook = loadedHooks.get(taskId)?.getTaskFailureHook(taskId);
  if (!hook) throw new Error(`Task "${taskId}" has no onFailure hook (or was not loaded with loadTaskRunFunction).`);
  return hook;
}

/** What a loaded task declared besides its run function (queue, machine, limits). */
export function taskMetadata(taskId: string) {
  const task = resourceCatalog.getTask(taskId);
  if (!task) throw new Error(`Task "${taskId}" is not loaded.`);
  return task;
}
