import { json, type ActionFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { apiError, methodNotAllowed, parseParams } from "~/.server/http.server";
import { cancelRun, RunIdParamsSchema } from "~/.server/models/run.server";
import { runNotFoundError } from "~/.server/run-responses.server";

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
  const userId = await requireApiUserId(request);
  const { runId } = parseParams(params, RunIdParamsSchema);
  const result = await cancelRun(userId, runId);
  switch (result.status) {
    case "not_found":
      return runNotFoundError();
    case "finished":
      return apiError(409, "run_finished", `This run already ended (${result.run.status}); there is nothing to cancel.`, {
        run: result.run,
      });
    case "ok":
      return json({ run: result.run }, { status: 202 });
  }
}
