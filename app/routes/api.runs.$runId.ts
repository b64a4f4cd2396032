import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { parseParams } from "~/.server/http.server";
import { getRunForOwner, RunIdParamsSchema } from "~/.server/models/run.server";
import { runNotFoundError } from "~/.server/run-responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  const { runId } = parseParams(params, RunIdParamsSchema);
  const run = await getRunForOwner(userId, runId);
  if (!run) return runNotFoundError();
  return json({ run });
}
