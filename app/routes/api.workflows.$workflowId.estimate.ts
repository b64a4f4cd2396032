import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { apiError, methodNotAllowed, parseParams } from "~/.server/http.server";
import { estimateRunRequest, RunRequestSchema } from "~/.server/models/run.server";
import { summarizeProblems } from "~/.server/graph.server";
import { invalidQueryError } from "~/.server/run-responses.server";
import { workflowNotFoundError } from "~/.server/workflow-api.server";
import type { EstimateResponse } from "~/lib/runs/run-schemas";
import { WorkflowIdParamsSchema } from "~/lib/workflow-fields";

/** `?scope=selected&nodeIds=a,b` (or `&nodeIds=a&nodeIds=b`) `&cache=refresh`: the body of a run request, as a query. */
function runRequestOf(url: URL) {
  const nodeIds = url.searchParams.getAll("nodeIds").flatMap((value) => value.split(",")).filter(Boolean);
  const cache = url.searchParams.get("cache");
  return RunRequestSchema.safeParse({
    scope: url.searchParams.get("scope") ?? undefined,
    ...(nodeIds.length > 0 ? { nodeIds } : {}),
    ...(cache === null ? {} : { cache }),
  });
}

/** `GET /api/workflows/:id/estimate?scope=full|selected|single&nodeIds=…&cache=use|refresh`: what that run would cost. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  const { workflowId } = parseParams(params, WorkflowIdParamsSchema);
  const query = runRequestOf(new URL(request.url));
  if (!query.success) return invalidQueryError(query.error);
  const result = await estimateRunRequest(userId, workflowId, query.data);
  if (result.status === "not_found") return workflowNotFoundError();
  if (result.status === "refused") return apiError(400, "invalid_run_request", summarizeProblems(result.problems), { problems: result.problems });
  const body: EstimateResponse = { estimate: result.estimate };
  return json(body, { headers: { "Cache-Control": "no-store" } });
}

export function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, ["GET"]);
}
