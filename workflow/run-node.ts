import type { NodeType } from "./nodes/registry";
import type { RunNodeRequest } from "./host";
import type { NodeOutputs } from "./values";
import type { Executor, ExecutorMap, LlmSettings, MediaStore, NodeCheckpoint } from "./execution";
import { sleep } from "./executors/abort";

export interface ExecutionServices {
  media: MediaStore;
  llm: LlmSettings;
  /**
   * Where a node execution keeps its checkpoint (the host's NodeExecution row). Absent: in memory,
   * for the one attempt, so a restarted execution starts over.
   */
  checkpointFor?: (request: { runId: string; nodeId: string }) => NodeCheckpoint;
  /** How executors wait between polls. Absent: a timer, cut short by the run's signal. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A checkpoint that lives as long as the execution: for hosts without durable storage. */
export function memoryCheckpoint(): NodeCheckpoint {
  let state: unknown;
  return {
    load: async () => state,
    save: async (next) => {
      state = next;
    },
  };
}

/**
 * Executes one node in this process. `onText` hears an LLM node's text so far as it grows: the
 * caller puts it on the run's LLM text stream (the engine's progress carries no live text).
 */
export type InProcessRunNode = (request: RunNodeRequest, onText?: (textSoFar: string) => void) => Promise<NodeOutputs>;

/**
 * Executes nodes in this process with the given executors. The embedded engine runs every node
 * with it, and each Trigger.dev node task for the one node it runs.
 */
export function createInProcessRunNode(executors: ExecutorMap, services: ExecutionServices): InProcessRunNode {
  const checkpointFor = services.checkpointFor ?? (() => memoryCheckpoint());
  const wait = services.wait ?? sleep;
  return async ({ runId, nodeId, nodeType, params, inputs, signal, reportUsage }, onText) => {
    // A cancelled run should not start an ffmpeg process or an HTTP request at all.
    signal.throwIfAborted();
    // The map pairs each type with its own executor; the request pairs the type with its own params.
    const executor = executors[nodeType] as Executor<NodeType>;
    return executor({
      nodeId,
      params,
      inputs,
      signal,
      onText,
      reportUsage,
      media: services.media,
      llm: services.llm,
      checkpoint: checkpointFor({ runId, nodeId }),
      wait: (ms) => wait(ms, signal),
    });
  };
}
