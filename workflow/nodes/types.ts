import { z } from "zod";

export const PortTypeSchema = z.enum(["text", "number", "image", "video"]);
export type PortType = z.infer<typeof PortTypeSchema>;

export interface PortDefinition {
  id: string;
  label: string;
  type: PortType;
  required?: boolean;
  /** true when the port accepts any number of connections (their values arrive as a list) */
  multiple?: boolean;
  /** true when the value can also be typed on the node as a parameter of the same name */
  inline?: boolean;
}

/** The sidebar group a node is listed and coloured in. */
export type NodeCategory = "input" | "ai" | "media";

/**
 * "source": hands on a value typed or uploaded on the node; always executed (it costs nothing
 * and gives the value the node holds now), never reused from an earlier run, and it does not
 * count towards whether a run achieved anything. "compute": does work on its inputs.
 */
export type NodeRole = "source" | "compute";

/**
 * Where the node executes in Trigger.dev mode: "task", a child task run whose id is the node
 * type (trigger/<type>.ts); "orchestrator", inside the execute-workflow run itself, for work
 * so small that a task run's queueing would cost more than the work.
 */
export type NodePlacement = "orchestrator" | "task";

/** Longest text a parameter may hold; keeps saved graphs and prompts within sensible bounds. */
export const MAX_TEXT_LENGTH = 50_000;

export interface NodeDefinition<
  TType extends string = string,
  TParams extends z.ZodObject = z.ZodObject,
  TInputs extends readonly PortDefinition[] = readonly PortDefinition[],
  TOutputs extends readonly PortDefinition[] = readonly PortDefinition[],
  TPlacement extends NodePlacement = NodePlacement,
> {
  type: TType;
  label: string;
  description: string;
  category: NodeCategory;
  role: NodeRole;
  placement: TPlacement;
  /**
   * Raise it when the executor starts producing different output for the same parameters and
   * inputs, so fingerprints of older executions stop matching new ones.
   */
  executorVersion: number;
  inputs: TInputs;
  outputs: TOutputs;
  /** Every field has a default, so `params.parse({})` gives a freshly dropped node's parameters. */
  params: TParams;
}

/**
 * Identity at run time; exists so each definition keeps its literal type id and port ids,
 * which the registry turns into the `NodeType` union and per-node port id types.
 */
export function defineNode<
  const TType extends string,
  TParams extends z.ZodObject,
  const TInputs extends readonly PortDefinition[],
  const TOutputs extends readonly PortDefinition[],
  const TPlacement extends NodePlacement,
>(
  definition: NodeDefinition<TType, TParams, TInputs, TOutputs, TPlacement>,
): NodeDefinition<TType, TParams, TInputs, TOutputs, TPlacement> {
  return definition;
}
