import { describeIssue } from "~workflow/validation-messages";
import { getNodeDefinition, type NodeType } from "~workflow/nodes/registry";
import type { EditorNodeData } from "./graph-conversion";

/**
 * What a number field's text means as a parameter: the number once it is one, otherwise the
 * text itself, kept so the field shows what was typed and the node can say what is wrong.
 */
export function numberFieldValue(text: string): number | string {
  if (text.trim() === "") return text;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

/** The text a field shows for a parameter value. */
export function fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

/**
 * The params schema's complaints about a node's current values, one per field, phrased to
 * follow the field's label ("Width % must be at most 70 when …"). Checked as the person types.
 */
export function paramErrors(type: NodeType, data: EditorNodeData): Record<string, string> {
  const definition = getNodeDefinition(type);
  const result = definition.params.safeParse(data, { reportInput: true });
  if (result.success) return {};
  const labels = new Map<string, string>(definition.inputs.map((port) => [port.id, port.label]));
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = typeof issue.path[0] === "string" ? issue.path[0] : "";
    if (field in errors) continue;
    const label = labels.get(field) ?? (field ? capitalise(field.replaceAll("_", " ")) : "This node");
    errors[field] = `${label} ${describeIssue(issue)}.`;
  }
  return errors;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
