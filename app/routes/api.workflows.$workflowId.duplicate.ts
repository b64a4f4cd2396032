import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { methodNotAllowed, parseParams } from "~/.server/http.server";
import { duplicateWorkflow } from "~/.server/models/workflow.server";
import { workflowNotFoundError } from "~/.server/workflow-api.server";
import { WorkflowIdParamsSchema } from "~/lib/workflow-fields";

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
  const userId = await requireApiUserId(request);
  const { workflowId } = parseParams(params, WorkflowIdParamsSchema);
  const workflow = await duplicateWorkflow(userId, workflowId);
  if (!workflow) return workflowNotFoundError();
  return json({ workflow }, { status: 201 });
}

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, ["POST"]);
}
