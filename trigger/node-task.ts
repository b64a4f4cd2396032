import { z } from "zod";
import { NODE_DEFINITIONS, type TaskNodeType } from "~workflow/nodes/registry";
import { executors } from "~workflow/executors";
import { createInProcessRunNode } from "~workflow/run-node";
import type { Usage } from "~workflow/cost/usage";
import { NodeInputsSchema, type NodeTaskOutput } from "~workflow/values";
import { NodeError } from "~workflow/execution";
import { executionServices } from "./execution-services";
import { checkTaskEnvironment } from "./task-environment";

/** What a node task receives: one node of one run, with its parameters checked again by its own schema. */
export function nodeTaskPayloadSchema<K extends TaskNodeType>(nodeType: K) {
  return z.object({
    runId: z.string().min(1),
    /** Whose files the node may read and to whom the files it makes belong. */
    ownerId: z.string().min(1),
    nodeId: z.string().min(1),
    params: NODE_DEFINITIONS[nodeType].params,
    inputs: NodeInputsSchema,
  });
}

export type NodeTaskPayload<K extends TaskNodeType = TaskNodeType> = z.output<ReturnType<typeof nodeTaskPayloadSchema<K>>>;

/**
 * Runs the task's one node with the executors, as the embedded engine would in-process, and
 * returns its outputs with what its paid API calls used: the orchestrator, not this task, prices
 * that and holds it against the run's cap. Only this attempt's usage is returned; an attempt
 * that threw hands back nothing.
 */
export async function runNodeTask<K extends TaskNodeType>(
  nodeType: K,
  payload: NodeTaskPayload<K>,
  {
    signal,
    onText,
    wait,
  }: { signal: AbortSignal; onText?: (textSoFar: string) => void; wait?: (ms: number, signal: AbortSignal) => Promise<void> },
): Promise<NodeTaskOutput> {
  checkTaskEnvironment();
  const runNode = createInProcessRunNode(executors, { ...executionServices(payload.ownerId), ...(wait ? { wait } : {}) });
  const usage: Usage[] = [];
  const outputs = await runNode({ ...payload, nodeType, signal, reportUsage: (reported) => usage.push(reported) }, onText);
  return { outputs, usage };
}

/**
 * A node's own errors say whether trying again might help (rate limits, 5xx); the others (bad
 * parameters, a crop outside the image, a safety block) fail the same way every time, so the
 * task fails at once with the message the person sees. Anything else is retried.
 */
export function retryOnlyWhatMightSucceed({ error }: { error: unknown }): { skipRetrying: true } | undefined {
  return error instanceof NodeError && !error.retryable ? { skipRetrying: true } : undefined;
}
