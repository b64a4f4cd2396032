import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiUserId } from "~/.server/auth.server";
import { maxGraphBodyBytes, validateWorkflowGraph } from "~/.server/graph.server";
import { apiError, methodNotAllowed, parseParams, readJsonBody } from "~/.server/http.server";
import { deleteWorkflow, getWorkflow, updateWorkflow } from "~/.server/models/workflow.server";
import { invalidGraphError, workflowNotFoundError } from "~/.server/workflow-api.server";
import { WorkflowIdParamsSchema, WorkflowNameSchema } from "~/lib/workflow-fields";

const UpdateWorkflowBodySchema = z.object({
  name: WorkflowNameSchema.optional(),
  // Checked by validateWorkflowGraph, whose problems name the nodes and edges at fault.
  graph: z.unknown().optional(),
  /** The version the client's changes are based on. */
  // Versions are a PostgreSQL integer; a larger number cannot name one.
  version: z.number().int().positive().max(2_147_483_647),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  const { workflowId } = parseParams(params, WorkflowIdParamsSchema);
  const workflow = await getWorkflow(userId, workflowId);
  if (!workflow) return workflowNotFoundError();
  return json({ workflow });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PUT" && request.method !== "DELETE") {
    return methodNotAllowed(request, ["GET", "PUT", "DELETE"]);
  }
  const userId = await requireApiUserId(request);
  const { workflowId } = parseParams(params, WorkflowIdParamsSchema);

  if (request.method === "DELETE") {
    if (!(await deleteWorkflow(userId, workflowId))) return workflowNotFoundError();
    return new Response(null, { status: 204 });
  }

  const body = await readJsonBody(request, UpdateWorkflowBodySchema, maxGraphBodyBytes());
  const validation = body.graph === undefined ? undefined : validateWorkflowGraph(body.graph);
  if (validation && !validation.ok) return invalidGraphError(validation.problems);
  const result = await updateWorkflow(userId, workflowId, {
    name: body.name,
    graph: validation?.graph,
    version: body.version,
  });
  switch (result.status) {
    case "ok":
      return json({ workflow: result.workflow });
    case "not_found":
      return workflowNotFoundError();
    case "conflict":
      return apiError(
        409,
        "version_conflict",
        `This workflow was changed elsewhere (now version ${result.currentVersion}). Reload to get the latest version.`,
        { currentVersion: result.currentVersion },
      );
  }
}
