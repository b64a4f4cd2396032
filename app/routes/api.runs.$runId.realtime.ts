import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { apiError, parseParams } from "~/.server/http.server";
import { RunIdParamsSchema } from "~/.server/models/run.server";
import { runNotFoundError } from "~/.server/run-responses.server";
import { runRealtimeAccess } from "~/.server/run-realtime.server";

/**
 * `GET /api/runs/:runId/realtime` → `{runId, accessToken, baseURL}`: what
 * `useRealtimeRun(runId, { accessToken, baseURL })` needs to follow the run, with a fresh token.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  const { runId } = parseParams(params, RunIdParamsSchema);
  const result = await runRealtimeAccess(userId, runId);
  if (result.status === "not_found") return runNotFoundError();
  if (result.status === "not_started") return apiError(409, "run_not_started", "This run never started, so there is nothing to follow.");
  return json(
    {
      runId: result.engineRunId,
      accessToken: result.accessToken,
      baseURL: result.realtimeBaseUrl ?? new URL(request.url).origin,
    },
    // It carries a token: no cache may keep it.
    { headers: { "Cache-Control": "no-store" } },
  );
}
