import { z } from "zod";
import { NODE_DEFINITIONS, type NodeType } from "../app/lib/nodes/registry";
import { executors } from "../workflow/executors";
import { createInProcessRunNode } from "../workflow/run-node";
import { type MediaValue, NodeError, type NodeInputs, type NodeOutputs, type PortValue } from "../workflow/types";
import { executionServices } from "./execution-services";
import { checkTaskEnvironment } from "./task-environment";

/**
 * Where each node type runs in Trigger.dev mode. Source nodes only hand on a typed value or an
 * upload, which takes a database read, so they run inside the orchestrator; a task run of their
 * own would add seconds of queueing for nothing. A new node type must choose here.
 */
export const NODE_PLACEMENT = {
  text: "orchestrator",
  "upload-image": "orchestrator",
  "upload-video": "orchestrator",
  "run-llm": "task",
  "crop-image": "task",
  "extract-frame": "task",
} as const satisfies Record<NodeType, "orchestrator" | "task">;

/** Node types executed by a task of their own; the task id is the node type. */
export type TaskNodeType = { [K in NodeType]: (typeof NODE_PLACEMENT)[K] extends "task" ? K : never }[NodeType];

export function runsAsTask(nodeType: NodeType): nodeType is TaskNodeType {
  return NODE_PLACEMENT[nodeType] === "task";
}

export const MediaValueSchema = z.object({
  kind: z.enum(["image", "video"]),
  assetId: z.string().min(1),
  url: z.string(),
  mime: z.string(),
  sha256: z.string(),
  // Optional: values stored before these facts were recorded lack them (executors probe then).
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  durationSeconds: z.number().positive().optional(),
  frameRate: z.number().positive().optional(),
}) satisfies z.ZodType<MediaValue>;

export const PortValueSchema = z.union([z.string(), z.number(), MediaValueSchema]) satisfies z.ZodType<PortValue>;

export const NodeInputsSchema = z.record(
  z.string(),
  z.union([PortValueSchema, z.array(PortValueSchema)]).optional(),
) satisfies z.ZodType<NodeInputs>;

export const NodeOutputsSchema = z.record(z.string(), PortValueSchema) satisfies z.ZodType<NodeOutputs>;

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

/** Runs the task's one node with the executors, as the embedded engine would in-process. */
export async function runNodeTask<K extends TaskNodeType>(
  nodeType: K,
  payload: NodeTaskPayload<K>,
  { signal, onText }: { signal: AbortSignal; onText?: (textSoFar: string) => void },
): Promise<NodeOutputs> {
  checkTaskEnvironment();
  const runNode = createInProcessRunNode(executors, executionServices(payload.ownerId));
  return runNode({ ...payload, nodeType, signal }, onText);
}

/**
 * A node's own errors say whether trying again might help (rate limits, 5xx); the others (bad
 * parameters, a crop outside the image, a safety block) fail the same way every time, so the
 * task fails at once with the message the person sees. Anything else is retried.
 */
export function retryOnlyWhatMightSucceed({ error }: { error: unknown }): { skipRetrying: true } | undefined {
  return error instanceof NodeError && !error.retryable ? { skipRetrying: true } : undefined;
}
