import { runs, tasks } from "@trigger.dev/sdk";
import { sleep } from "~workflow/executors/abort";
import { nodeFingerprint } from "~workflow/fingerprint";
import type { RunNodeRequest } from "~workflow/host";
import { NodeTaskOutputSchema, type NodeOutputs } from "~workflow/values";
import { NodeError } from "~workflow/execution";
import type { concatVideos } from "./concat-videos";
import type { cropImage } from "./crop-image";
import type { extractFrame } from "./extract-frame";
import type { generateImage } from "./generate-image";
import type { generateVideo } from "./generate-video";
import type { resizeImage } from "./resize-image";
import type { TaskNodeType } from "~workflow/nodes/registry";
import type { NodeTaskPayload } from "./node-task";
import { nodeTasksTag, runTag } from "./names";
import type { runLlm } from "./run-llm";
import type { trimVideo } from "./trim-video";

/** The task of every node type placed in a task (its id is the type): one missing is a compile error. */
type NodeTasks = EveryTaskNodeType<{
  "crop-image": typeof cropImage;
  "extract-frame": typeof extractFrame;
  "run-llm": typeof runLlm;
  "generate-image": typeof generateImage;
  "resize-image": typeof resizeImage;
  "trim-video": typeof trimVideo;
  "concat-videos": typeof concatVideos;
  "generate-video": typeof generateVideo;
}>;
type EveryTaskNodeType<T extends Record<TaskNodeType, unknown>> = T;
type NodeTask = NodeTasks[TaskNodeType];

/** A child run as the orchestrator sees it: part of Trigger.dev's realtime run object. */
export interface ChildRunUpdate {
  id: string;
  status: string;
  isSuccess: boolean;
  isFailed: boolean;
  isCancelled: boolean;
  output?: unknown;
  error?: { name?: string; message: string };
}

/** The calls to Trigger.dev that running nodes as child tasks takes (tests replace them). */
export interface ChildRunApi {
  trigger(
    taskId: TaskNodeType,
    payload: NodeTaskPayload,
    options: { tags: string[]; idempotencyKey: string[] },
  ): Promise<{ id: string }>;
  /** The current state of every run carrying `tag`, then each change of status, until `signal` aborts. */
  watch(tag: string, signal: AbortSignal): AsyncIterable<ChildRunUpdate>;
  cancel(runId: string): Promise<void>;
}

/**
 * Triggering without waiting and following the runs over Realtime never suspends the
 * orchestrator, so any number of children can be awaited at once (ADR 006).
 */
export const triggerDevChildRuns: ChildRunApi = {
  trigger: (taskId, payload, options) => tasks.trigger<NodeTask>(taskId, payload, options),
  watch: (tag, signal) => runs.subscribeToRunsWithTag<NodeTask>(tag, { skipColumns: ["payload", "metadata"] }, { signal }),
  cancel: async (runId) => {
    await runs.cancel(runId);
  },
};

/** Times in a row the watch may end without an update before waiting children fail. */
const WATCH_ATTEMPTS = 3;
const WATCH_RETRY_DELAY_MS = 1_000;

export type ChildTaskRunner = (request: RunNodeRequest & { nodeType: TaskNodeType }) => Promise<NodeOutputs>;

export interface ChildTasks {
  /**
   * Executes a node as a child task run: triggers its type's task (an LLM task writes its text
   * to this run's LLM text stream itself) and resolves with its outputs or rejects with its
   * error. The usage the child returns goes to the request's `reportUsage` first, once per usage,
   * as an executor in this process would report it. Aborting the request's signal cancels the
   * child run.
   */
  run: ChildTaskRunner;
  /** Stops watching; call once the workflow run is over. */
  close(): void;
}

interface Waiter {
  update(run: ChildRunUpdate): void;
  fail(error: unknown): void;
}

/**
 * The child task runs of one workflow run. Their updates arrive over one Realtime subscription
 * (by tag) whatever the number of children in flight: Trigger.dev plans allow as few as 10
 * concurrent Realtime connections per environment.
 */
export function createChildTasks(api: ChildRunApi, { runId, ownerId }: { runId: string; ownerId: string }): ChildTasks {
  const tag = nodeTasksTag(runId);
  const waiters = new Map<string, Waiter>();
  // The latest update of children nobody waits for yet: an update can beat `trigger` returning.
  const unclaimed = new Map<string, ChildRunUpdate>();
  const closed = new AbortController();
  let watching = false;

  function dispatch(update: ChildRunUpdate): void {
    const waiter = waiters.get(update.id);
    if (waiter) waiter.update(update);
    else unclaimed.set(update.id, update);
  }

  async function watch(): Promise<void> {
    let quietEnds = 0;
    while (!closed.signal.aborted && waiters.size > 0) {
      let lastError: unknown = new Error("the Realtime subscription to the node tasks ended");
      try {
        for await (const update of api.watch(tag, closed.signal)) {
          quietEnds = 0;
          dispatch(update);
        }
      } catch (error) {
        lastError = error;
      }
      if (closed.signal.aborted || waiters.size === 0) return;
      if (++quietEnds >= WATCH_ATTEMPTS) {
        for (const waiter of [...waiters.values()]) waiter.fail(lastError);
        return;
      }
      await sleep(WATCH_RETRY_DELAY_MS * quietEnds, closed.signal).catch(() => undefined);
    }
  }

  function ensureWatching(): void {
    if (watching) return;
    watching = true;
    void watch().finally(() => {
      watching = false;
      // A child may have started waiting while the last watch was giving up.
      if (waiters.size > 0 && !closed.signal.aborted) ensureWatching();
    });
  }

  async function run({ nodeId, nodeType, params, inputs, signal, reportUsage }: RunNodeRequest & { nodeType: TaskNodeType }) {
    signal.throwIfAborted();
    // The engine pairs each node type with its own parameters, already validated.
    const payload = { runId, ownerId, nodeId, params, inputs } as NodeTaskPayload;
    const child = await api.trigger(nodeType, payload, {
      tags: [runTag(runId), tag],
      // Scoped to this orchestrator run: a retried attempt finds the child an earlier attempt
      // started (or finished) for the same work instead of starting another.
      idempotencyKey: [nodeId, nodeFingerprint(nodeType, params, inputs)],
    });

    return new Promise<NodeOutputs>((resolve, reject) => {
      const stop = () => {
        waiters.delete(child.id);
        signal.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        stop();
        void api.cancel(child.id).catch(() => undefined);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        update(update) {
          if (update.isSuccess) {
            stop();
            const output = NodeTaskOutputSchema.safeParse(update.output);
            if (!output.success) {
              const problems = output.error.issues.map((issue) => `${issue.path.join(".") || "output"}: ${issue.message}`);
              reject(new Error(`task run ${child.id} did not return { outputs, usage }: ${problems.join("; ")}`));
              return;
            }
            // Before resolving: the run prices a node's usage when it records the node's end.
            for (const usage of output.data.usage) reportUsage?.(usage);
            resolve(output.data.outputs);
          } else if (update.isFailed || update.isCancelled) {
            stop();
            reject(childFailure(update));
          }
        },
        fail(error) {
          stop();
          reject(error);
        },
      };

      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      waiters.set(child.id, waiter);
      const early = unclaimed.get(child.id);
      unclaimed.delete(child.id);
      if (early) waiter.update(early);
      if (waiters.has(child.id)) ensureWatching();
    });
  }

  return {
    run,
    close() {
      closed.abort();
      for (const waiter of [...waiters.values()]) waiter.fail(new Error("the workflow run ended"));
    },
  };
}

/**
 * The error a failed child run ends with, keeping its name so the engine shows a NodeError's
 * message as it was written; the run's own fate when it ended without one.
 */
function childFailure(run: ChildRunUpdate): Error {
  if (run.status === "TIMED_OUT") return new NodeError("The node took longer than its time limit and was stopped.");
  if (run.isCancelled) return new NodeError("The node's task run was cancelled in Trigger.dev.");
  if (!run.error) return new Error(`its task run ended as ${run.status}`);
  const error = new Error(run.error.message);
  if (run.error.name) error.name = run.error.name;
  return error;
}
