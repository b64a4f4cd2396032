import { type ActionFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { apiError, methodNotAllowed, parseParams } from "~/.server/http.server";
import { retryRun, RunIdParamsSchema } from "~/.server/models/run.server";
import { runNotFoundError, startRunResponse } from "~/.server/run-responses.server";

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
  const userId = await requireApiUserId(request);
  const { runId } = parseParams(params, RunIdParamsSchema);
  const result = await retryRun(userId, runId);
  if (result.status === "not_found") return runNotFoundError();
  if (result.status === "not_finished") {
    return apiError(409, "run_not_finished", "This run is still going; cancel it or wait for it to end before retrying.");
  }
  return startRunResponse(request, result);
}
