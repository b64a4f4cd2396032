import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { methodNotAllowed, parseParams } from "~/.server/http.server";
import { getWorkflow } from "~/.server/models/workflow.server";
import { workflowNotFoundError } from "~/.server/workflow-api.server";
import { toWorkflowDocument, workflowFileName } from "~/lib/workflow-document";
import { WorkflowIdParamsSchema } from "~/lib/workflow-fields";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  const { workflowId } = parseParams(params, WorkflowIdParamsSchema);
  const workflow = await getWorkflow(userId, workflowId);
  if (!workflow) return workflowNotFoundError();
  // Indented, because people open these files to read or diff them.
  return new Response(JSON.stringify(toWorkflowDocument(workflow.name, workflow.graph), null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${workflowFileName(workflow.name)}"`,
      "Cache-Control": "no-store",
    },
  });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
