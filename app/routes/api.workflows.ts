import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiUserId } from "~/.server/auth.server";
import { maxGraphBodyBytes, validateWorkflowGraph } from "~/.server/graph.server";
import { methodNotAllowed, readJsonBody } from "~/.server/http.server";
import { createWorkflow, listWorkflows } from "~/.server/models/workflow.server";
import { invalidGraphError } from "~/.server/workflow-api.server";
import { WorkflowNameSchema } from "~/lib/workflow-fields";

const CreateWorkflowBodySchema = z.object({
  name: WorkflowNameSchema,
  // Checked by validateWorkflowGraph, whose problems name the nodes and edges at fault.
  graph: z.unknown().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  // The API's list is what README documents; the page's previews (sketch, image) stay the page's.
  const workflows = (await listWorkflows(userId)).map(({ id, name, nodeCount, createdAt, updatedAt }) => ({
    id,
    name,
    nodeCount,
    createdAt,
    updatedAt,
  }));
  return json({ workflows });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["GET", "POST"]);
  const userId = await requireApiUserId(request);
  const body = await readJsonBody(request, CreateWorkflowBodySchema, maxGraphBodyBytes());
  const graph = validateWorkflowGraph(body.graph ?? { nodes: [], edges: [] });
  if (!graph.ok) return invalidGraphError(graph.problems);
  const workflow = await createWorkflow(userId, { name: body.name, graph: graph.graph });
  return json({ workflow }, { status: 201 });
}
