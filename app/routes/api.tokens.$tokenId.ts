import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiUserId } from "~/.server/auth.server";
import { apiError, methodNotAllowed, parseParams } from "~/.server/http.server";
import { revokeApiToken } from "~/.server/models/api-token.server";

const ParamsSchema = z.object({ tokenId: z.string().min(1).max(100) });

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "DELETE") return methodNotAllowed(request, ["DELETE"]);
  const userId = await requireApiUserId(request);
  const { tokenId } = parseParams(params, ParamsSchema);
  // Someone else's token answers exactly like a missing one, so ids reveal nothing.
  if (!(await revokeApiToken(userId, tokenId))) return apiError(404, "not_found", "No API token with this id.");
  return new Response(null, { status: 204 });
}

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, ["DELETE"]);
}

