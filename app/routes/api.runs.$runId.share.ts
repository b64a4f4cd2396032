import { json, type ActionFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { methodNotAllowed, parseParams } from "~/.server/http.server";
import { RunIdParamsSchema } from "~/.server/models/run.server";
import { createShareLink, revokeShareLink, shareUrl } from "~/.server/models/share.server";
import { runNotFoundError } from "~/.server/run-responses.server";

/**
 * POST makes a share link for the run (201 `{url}`), replacing any earlier one; DELETE revokes
 * it (204). The URL holds the only copy of the token: it cannot be read back later.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST" && request.method !== "DELETE") return methodNotAllowed(request, ["POST", "DELETE"]);
  const userId = await requireApiUserId(request);
  const { runId } = parseParams(params, RunIdParamsSchema);
  if (request.method === "DELETE") {
    if (!(await revokeShareLink(userId, runId))) return runNotFoundError();
    return new Response(null, { status: 204 });
  }
  const token = await createShareLink(userId, runId);
  if (!token) return runNotFoundError();
  return json({ url: shareUrl(request, token) }, { status: 201, headers: { "Cache-Control": "no-store" } });
}
