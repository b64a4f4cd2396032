import { db, type Prisma } from "~/.server/db.server";
import { recordAsset } from "~/.server/models/asset.server";
import { storeSampleMedia, type SampleMedia } from "~/.server/sample-assets.server";
import { GraphSchema, type Graph } from "~workflow/graph";
import { findTemplate, type WorkflowTemplate } from "~workflow/templates";
import type { RunStatus } from "~workflow/run-progress";
import type { SketchInput } from "~/lib/graph-sketch";
import { MAX_WORKFLOW_NAME_LENGTH } from "~/lib/workflow-fields";

// Every function takes the owner's id and filters by it, so another user's workflow id behaves
// exactly like one that does not exist: callers cannot leak it by accident.

export interface WorkflowSummary {
  id: string;
  name: string;
  nodeCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** The newest run, or null before the first. */
  lastRun: { status: RunStatus; createdAt: Date } | null;
  /** The URL of the newest image the last run produced, if any. */
  previewImageUrl: string | null;
  /** Enough of the graph to sketch it (the first SKETCH_MAX_NODES nodes). */
  sketch: SketchInput;
}

/** A sketch is a thumbnail: beyond this many nodes it would show nothing more. */
const SKETCH_MAX_NODES = 200;

export interface Workflow {
  id: string;
  name: string;
  graph: Graph;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type UpdateWorkflowResult =
  | { status: "ok"; workflow: Workflow }
  | { status: "not_found" }
  | { status: "conflict"; currentVersion: number };

const WORKFLOW_FIELDS = { id: true, name: true, graph: true, version: true, createdAt: true, updatedAt: true } as const;

type WorkflowRow = Prisma.WorkflowGetPayload<{ select: typeof WORKFLOW_FIELDS }>;

/** The owner's workflows, most recently changed first, each with its last run and what to preview it by. */
export async function listWorkflows(ownerId: string): Promise<WorkflowSummary[]> {
  // One statement for the whole list (no query per workflow): each last run is one step down
  // the (workflowId, createdAt) index, its image one step down (runId, nodeId). Only positions
  // and edge ends leave the database, keeping whole graphs (up to MAX_GRAPH_BYTES each) out.
  const rows = await db.$queryRaw<ListRow[]>`
    SELECT w."id", w."name", w."createdAt", w."updatedAt",
           jsonb_array_length(w."graph"->'nodes') AS "nodeCount",
           last_run."status" AS "lastRunStatus", last_run."createdAt" AS "lastRunAt",
           image."url" AS "previewImageUrl",
           (SELECT coalesce(jsonb_agg(jsonb_build_object('id', n->>'id', 'x', n->'position'->'x', 'y', n->'position'->'y')), '[]')
              FROM (SELECT n FROM jsonb_array_elements(w."graph"->'nodes') AS n LIMIT ${SKETCH_MAX_NODES}) AS nodes) AS "sketchNodes",
           (SELECT coalesce(jsonb_agg(jsonb_build_object('source', e->>'source', 'target', e->>'target')), '[]')
              FROM jsonb_array_elements(w."graph"->'edges') AS e) AS "sketchEdges"
    FROM "Workflow" AS w
    LEFT JOIN LATERAL (
      SELECT r."id", r."status", r."createdAt" FROM "WorkflowRun" AS r
      WHERE r."workflowId" = w."id"
      ORDER BY r."createdAt" DESC, r."id" DESC
      LIMIT 1
    ) AS last_run ON true
    LEFT JOIN LATERAL (
      SELECT output.value->>'url' AS "url"
      FROM "NodeExecution" AS ne, jsonb_each(ne."outputs") AS output
      WHERE ne."runId" = last_run."id" AND ne."status" = 'success'
        AND jsonb_typeof(ne."outputs") = 'object' AND jsonb_typeof(output.value) = 'object'
        AND output.value->>'kind' = 'image'
      ORDER BY ne."finishedAt" DESC NULLS LAST, ne."nodeId"
      LIMIT 1
    ) AS image ON true
    WHERE w."ownerId" = ${ownerId}
    ORDER BY w."updatedAt" DESC, w."id" DESC`;
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    nodeCount: row.nodeCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastRun: row.lastRunStatus && row.lastRunAt ? { status: row.lastRunStatus, createdAt: row.lastRunAt } : null,
    previewImageUrl: row.previewImageUrl,
    sketch: { nodes: row.sketchNodes, edges: row.sketchEdges },
  }));
}

interface ListRow {
  id: string;
  name: string;
  nodeCount: number;
  createdAt: Date;
  updatedAt: Date;
  lastRunStatus: RunStatus | null;
  lastRunAt: Date | null;
  previewImageUrl: string | null;
  sketchNodes: SketchInput["nodes"];
  sketchEdges: SketchInput["edges"];
}

export async function getWorkflow(ownerId: string, id: string): Promise<Workflow | null> {
  const row = await db.workflow.findFirst({ where: { id, ownerId }, select: WORKFLOW_FIELDS });
  return row ? toWorkflow(row) : null;
}

/** Stores a workflow; the graph must already have passed validateGraph. */
export async function createWorkflow(ownerId: string, input: { name: string; graph: Graph }): Promise<Workflow> {
  const row = await db.workflow.create({
    data: { ownerId, name: input.name, graph: toJson(input.graph) },
    select: WORKFLOW_FIELDS,
  });
  return toWorkflow(row);
}

/**
 * Saves changes made to `version` of the workflow. The version check and the write are one
 * statement, so of two saves made from the same version exactly one wins and the other learns
 * of the conflict instead of silently overwriting it.
 */
export async function updateWorkflow(
  ownerId: string,
  id: string,
  input: { name?: string; graph?: Graph; version: number },
): Promise<UpdateWorkflowResult> {
  const [row] = await db.workflow.updateManyAndReturn({
    where: { id, ownerId, version: input.version },
    data: {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.graph === undefined ? {} : { graph: toJson(input.graph) }),
      version: { increment: 1 },
    },
    select: WORKFLOW_FIELDS,
  });
  if (row) return { status: "ok", workflow: toWorkflow(row) };

  const current = await db.workflow.findFirst({ where: { id, ownerId }, select: { version: true } });
  return current ? { status: "conflict", currentVersion: current.version } : { status: "not_found" };
}

/**
 * Renames without a version check: a name change loses nobody's work. It still counts as a
 * save, so an editor holding the old version learns of it before saving over it.
 */
export async function renameWorkflow(ownerId: string, id: string, name: string): Promise<Workflow | null> {
  const [row] = await db.workflow.updateManyAndReturn({
    where: { id, ownerId },
    data: { name, version: { increment: 1 } },
    select: WORKFLOW_FIELDS,
  });
  return row ? toWorkflow(row) : null;
}

export async function deleteWorkflow(ownerId: string, id: string): Promise<boolean> {
  const { count } = await db.workflow.deleteMany({ where: { id, ownerId } });
  return count > 0;
}

/** A copy named "<name> (copy)", or null when the owner has no such workflow. */
export async function duplicateWorkflow(ownerId: string, id: string): Promise<Workflow | null> {
  const original = await getWorkflow(ownerId, id);
  if (!original) return null;
  return createWorkflow(ownerId, { name: copyName(original.name), graph: original.graph });
}

/** A copy of the template for the owner, or null when there is no template by that id. */
export async function createWorkflowFromTemplate(ownerId: string, templateId: string): Promise<Workflow | null> {
  const template = findTemplate(templateId);
  if (!template) return null;
  const samples = await storeSampleMedia();
  return db.$transaction((tx) => copyTemplate(tx, ownerId, template, samples));
}

/**
 * The template as the owner's workflow, its upload nodes naming the owner's records of the
 * shipped sample files (made here if missing), so it runs without uploads. Takes a transaction
 * client so sign-up can make the account's sample together with the account.
 */
export async function copyTemplate(
  client: Prisma.TransactionClient,
  ownerId: string,
  template: WorkflowTemplate,
  samples: SampleMedia,
): Promise<Workflow> {
  const image = await recordAsset(client, ownerId, samples.image, samples.image.originalName);
  const video = await recordAsset(client, ownerId, samples.video, samples.video.originalName);
  const graph = template.graph({ imageAssetId: image.id, videoAssetId: video.id });
  const row = await client.workflow.create({
    data: { ownerId, name: template.name, graph: toJson(graph) },
    select: WORKFLOW_FIELDS,
  });
  return toWorkflow(row);
}

function copyName(name: string): string {
  const suffix = " (copy)";
  // Shortened rather than refused, so any workflow can be duplicated.
  return `${name.slice(0, MAX_WORKFLOW_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
}

function toWorkflow(row: WorkflowRow): Workflow {
  // Only validated graphs are stored; parsing narrows the JSON column to the Graph type.
  return { ...row, graph: GraphSchema.parse(row.graph) };
}

function toJson(graph: Graph): Prisma.InputJsonValue {
  // A Graph is plain JSON by construction (GraphSchema), which Prisma's JSON input type cannot see.
  return graph as Prisma.InputJsonValue;
}
