import type { NodeType } from "../app/lib/nodes/registry";
import type { RunPort } from "./port";
import type { Executor, ExecutorMap, LlmSettings, MediaStore } from "./types";

export interface ExecutionServices {
  media: MediaStore;
  llm: LlmSettings;
}

/**
 * Executes nodes in this process with the given executors. The embedded engine uses it as its
 * port's `runNode`, and each Trigger.dev node task calls it for the one node it runs.
 */
export function createInProcessRunNode(executors: ExecutorMap, services: ExecutionServices): RunPort["runNode"] {
  return async ({ nodeId, nodeType, params, inputs, signal, onText }) => {
    // A cancelled run should not start an ffmpeg process or an HTTP request at all.
    signal.throwIfAborted();
    // The map pairs each type with its own executor; the request pairs the type with its own params.
    const executor = executors[nodeType] as Executor<NodeType>;
    return executor({ nodeId, params, inputs, signal, onText, media: services.media, llm: services.llm });
  };
}
