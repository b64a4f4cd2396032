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

export type NodeCategory = "input" | "ai" | "media";

/** Longest text a parameter may hold; keeps saved graphs and prompts within sensible bounds. */
export const MAX_TEXT_LENGTH = 50_000;

export interface NodeDefinition<
  TType extends string = string,
  TParams extends z.ZodObject = z.ZodObject,
  TInputs extends readonly PortDefinition[] = readonly PortDefinition[],
  TOutputs extends readonly PortDefinition[] = readonly PortDefinition[],
> {
  type: TType;
  label: string;
  description: string;
  category: NodeCategory;
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
>(
  definition: NodeDefinition<TType, TParams, TInputs, TOutputs>,
): NodeDefinition<TType, TParams, TInputs, TOutputs> {
  return definition;
}
