import type { z } from "zod";
import type { Graph, GraphNode } from "./graph";
import { describeIssue, describeIssues } from "./validation-messages";
import { getNodeDefinition, type AnyNodeDefinition, type NodeParams, type NodeType } from "./nodes/registry";
import type { PortDefinition, PortType } from "./nodes/types";
import { type NodeInputs, type NodeOutputs, type PortValue } from "./values";
import { NodeError } from "./execution";

/** What an execution receives: its inputs as used, and its parameters with connected values merged in. */
export interface PreparedNode {
  inputs: NodeInputs;
  params: NodeParams<NodeType>;
}

/**
 * A node's inputs, by port: a connected port takes the upstream node's output for that edge
 * (a list, in edge order, for ports that take many edges), an unconnected inline port takes the
 * value typed on the node, and any other port has no value. Multi-edge ports always get a list.
 */
export function resolveInputs(
  node: GraphNode,
  graph: Graph,
  outputsByNode: Readonly<Record<string, NodeOutputs | undefined>>,
): NodeInputs {
  const definition = definitionOf(node);
  const incoming = graph.edges.filter((edge) => edge.target === node.id);
  const inputs: NodeInputs = {};
  for (const port of inputPorts(definition)) {
    const values = incoming
      .filter((edge) => edge.targetHandle === port.id)
      .map((edge) => (Object.hasOwn(outputsByNode, edge.source) ? outputsByNode[edge.source]?.[edge.sourceHandle] : undefined));
    if (port.multiple) {
      inputs[port.id] = values.filter((value) => value !== undefined);
    } else if (values.length > 0) {
      inputs[port.id] = values[0];
    } else if (port.inline) {
      inputs[port.id] = typedValue(node, definition, port.id);
    } else {
      inputs[port.id] = undefined;
    }
  }
  return inputs;
}

/**
 * Readies resolved inputs for execution: checks required ports, turns text on number ports into
 * numbers, and merges the inputs into the node's parameters through its schema, so rules such as
 * "x + width ≤ 100" hold for upstream values too. Throws a NodeError the person can act on.
 */
export function prepareNodeInputs(node: GraphNode, inputs: NodeInputs): PreparedNode {
  checkRequiredInputs(node, inputs);
  const coerced = coerceNumberInputs(node, inputs);
  return { inputs: coerced, params: mergeParams(node, coerced) };
}

/** Throws when a required port has no value (nothing connected, or only blank text). */
export function checkRequiredInputs(node: GraphNode, inputs: NodeInputs): void {
  for (const port of inputPorts(definitionOf(node))) {
    if (port.required && isBlank(inputs[port.id])) throw new NodeError(requiredMessage(port));
  }
}

/**
 * Text arriving at a number port must read as a finite number. A few number ports also take
 * text their parameter schema accepts (Extract Frame's "50%"); that text is passed on as is.
 */
export function coerceNumberInputs(node: GraphNode, inputs: NodeInputs): NodeInputs {
  const definition = definitionOf(node);
  const coerced: NodeInputs = { ...inputs };
  for (const port of inputPorts(definition)) {
    const value = inputs[port.id];
    if (port.type === "number" && typeof value === "string") coerced[port.id] = toNumber(definition, port, value);
  }
  return coerced;
}

/**
 * The node's parameters as its executor receives them: the typed values, with each connected
 * inline port's value in place of the typed one, validated by the node's schema.
 */
export function mergeParams(node: GraphNode, inputs: NodeInputs): NodeParams<NodeType> {
  const definition = definitionOf(node);
  const candidate: Record<string, unknown> = { ...node.data };
  for (const port of inputPorts(definition)) {
    if (port.inline && inputs[port.id] !== undefined) candidate[port.id] = inputs[port.id];
  }
  const parsed = definition.params.safeParse(candidate);
  if (!parsed.success) {
    throw new NodeError(`${describeIssues(parsed.error, "The parameters")}.`);
  }
  return parsed.data;
}

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(definition: AnyNodeDefinition, port: PortDefinition, text: string): PortValue {
  const trimmed = text.trim();
  if (NUMBER_PATTERN.test(trimmed)) {
    const number = Number(trimmed);
    if (Number.isFinite(number)) return number;
  }
  const field = fieldSchema(definition, port.id);
  const parsed = field?.safeParse(text);
  if (parsed?.success) return text;
  // A schema's own rule ("a percentage from 0% to 100%") explains more than "must be a number".
  const issue = parsed?.error.issues[0];
  const rule = issue?.code === "custom" ? describeIssue(issue) : "must be a number";
  throw new NodeError(`${port.label} ${rule}, but got ${quote(text)}.`);
}

function fieldSchema(definition: AnyNodeDefinition, key: string): z.ZodType | undefined {
  const shape: Readonly<Record<string, z.ZodType>> = definition.params.shape;
  return Object.hasOwn(shape, key) ? shape[key] : undefined;
}

/**
 * The value typed on the node for an unconnected port, or the field's default when the document
 * lacks it. Checked field by field: rules across fields (x + width ≤ 100) are mergeParams' job.
 */
function typedValue(node: GraphNode, definition: AnyNodeDefinition, key: string): PortValue | undefined {
  const typed = Object.hasOwn(node.data, key) ? node.data[key] : undefined;
  const parsed = fieldSchema(definition, key)?.safeParse(typed);
  const value: unknown = parsed?.success ? parsed.data : typed;
  return typeof value === "string" || typeof value === "number" ? value : undefined;
}

function isBlank(value: NodeInputs[string]): boolean {
  if (value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  return Array.isArray(value) && value.length === 0;
}

const OUTPUT_PHRASES: Record<PortType, string> = {
  text: "text",
  number: "a number",
  image: "an image",
  video: "a video",
};

function requiredMessage(port: PortDefinition): string {
  return port.inline
    ? `${port.label} is required: connect a text node or type it on the node.`
    : `${port.label} is required: connect a node that outputs ${OUTPUT_PHRASES[port.type]}.`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** The ports as plain definitions: each type's literal tuple is too narrow to ask about optional flags. */
function inputPorts(definition: AnyNodeDefinition): readonly PortDefinition[] {
  return definition.inputs;
}

function definitionOf(node: GraphNode): AnyNodeDefinition {
  const definition = getNodeDefinition(node.type);
  if (!definition) throw new NodeError(`Node "${node.id}" has the unknown type "${node.type}".`);
  return definition;
}
