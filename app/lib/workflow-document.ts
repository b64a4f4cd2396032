import { z } from "zod";
import { GraphEdgeSchema, GraphNodeSchema, type Graph } from "~workflow/graph";
import { validateGraph, type GraphLimits, type GraphProblem } from "~workflow/graph-validation";
import { WorkflowNameSchema } from "./workflow-fields";

export const WORKFLOW_DOCUMENT_FORMAT = "weft.workflow";
/** Raise when the document's meaning changes; older Weft versions then refuse newer files clearly. */
export const WORKFLOW_DOCUMENT_VERSION = 1;

/**
 * The portable form of a workflow, as exported and imported. It carries no user or workflow
 * ids, so a file can be shared and imported into any account.
 */
export const WorkflowDocumentSchema = z.object({
  format: z.literal(WORKFLOW_DOCUMENT_FORMAT),
  formatVersion: z.literal(WORKFLOW_DOCUMENT_VERSION),
  name: WorkflowNameSchema,
  exportedAt: z.iso.datetime(),
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
});

export type WorkflowDocument = z.infer<typeof WorkflowDocumentSchema>;

export interface WorkflowDocumentProblem {
  code: "not_a_workflow" | "unsupported_format_version" | "invalid_name";
  message: string;
}

/** Problems with the file itself, or with the graph inside it (the graph validator's own list). */
export type DocumentProblem = WorkflowDocumentProblem | GraphProblem;

export type ParseWorkflowDocumentResult =
  | { ok: true; name: string; graph: Graph }
  | { ok: false; problems: DocumentProblem[] };

export function toWorkflowDocument(name: string, graph: Graph, exportedAt = new Date()): WorkflowDocument {
  return {
    format: WORKFLOW_DOCUMENT_FORMAT,
    formatVersion: WORKFLOW_DOCUMENT_VERSION,
    name,
    exportedAt: exportedAt.toISOString(),
    nodes: graph.nodes,
    edges: graph.edges,
  };
}

/**
 * Reads a document someone wants to import. The envelope is checked first, because a file that
 * is not ours, or from a newer Weft, would otherwise produce a confusing list of graph problems.
 * `exportedAt` is informational, so a hand-written file without it still imports.
 */
export function parseWorkflowDocument(input: unknown, limits?: GraphLimits): ParseWorkflowDocumentResult {
  if (!isRecord(input)) {
    return fail({ code: "not_a_workflow", message: "This is not a Weft workflow file (it is not a JSON object)." });
  }
  if (input.format !== WORKFLOW_DOCUMENT_FORMAT) {
    return fail({
      code: "not_a_workflow",
      message: `This is not a Weft workflow file (missing format "${WORKFLOW_DOCUMENT_FORMAT}").`,
    });
  }
  const version = input.formatVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    return fail({
      code: "unsupported_format_version",
      message: `This Weft workflow file has no valid formatVersion (expected ${WORKFLOW_DOCUMENT_VERSION}); export the workflow again.`,
    });
  }
  if (version > WORKFLOW_DOCUMENT_VERSION) {
    return fail({
      code: "unsupported_format_version",
      message: `formatVersion ${version} is newer than this Weft understands (it reads version ${WORKFLOW_DOCUMENT_VERSION}). Update Weft, or export the workflow from the same version.`,
    });
  }

  const problems: DocumentProblem[] = [];
  const name = WorkflowNameSchema.safeParse(input.name);
  if (!name.success) {
    problems.push({ code: "invalid_name", message: `The workflow name in this file is not usable: ${name.error.issues[0].message}` });
  }
  const graph = validateGraph({ nodes: input.nodes, edges: input.edges }, limits);
  if (!graph.ok) problems.push(...graph.problems);

  if (!name.success || !graph.ok) return { ok: false, problems };
  return { ok: true, name: name.data, graph: graph.graph };
}

/** A file name people recognise in their downloads folder, e.g. `product-marketing-kit.weft.json`. */
export function workflowFileName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `${slug || "workflow"}.weft.json`;
}

function fail(problem: WorkflowDocumentProblem): ParseWorkflowDocumentResult {
  return { ok: false, problems: [problem] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
