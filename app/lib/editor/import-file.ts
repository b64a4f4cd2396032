import type { Graph } from "~workflow/graph";
import { parseWorkflowDocument } from "~/lib/workflow-document";

export type ImportFileResult = { ok: true; graph: Graph } | { ok: false; problems: string[] };

/** Reads a workflow file chosen or dropped in the editor; problems are listed for the person instead of loading it. */
export function readWorkflowFile(fileName: string, text: string): ImportFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${fileName} is not valid JSON: ${(error as Error).message}`] };
  }
  const document = parseWorkflowDocument(json);
  if (!document.ok) return { ok: false, problems: document.problems.map((problem) => problem.message) };
  return { ok: true, graph: document.graph };
}
