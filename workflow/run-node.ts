import type { NodeType } from "./nodes/registry";
import type { RunNodeRequest } from "./host";
import type { NodeOutputs } from "./values";
import type { Executor, ExecutorMap, LlmSettings, MediaStore } from "./execution";

export interface ExecutionServices {
  media: MediaStore;
  llm: LlmSettings;
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
  return async ({ nodeId, nodeType, params, inputs, signal, reportUsage }, onText) => {
    // A cancelled run should not start an ffmpeg process or an HTTP request at all.
    signal.throwIfAborted();
    // The map pairs each type with its own executor; the request pairs the type with its own params.
    const executor = executors[nodeType] as Executor<NodeType>;
    return executor({ nodeId, params, inputs, signal, onText, reportUsage, media: services.media, llm: services.llm });
  };
}
