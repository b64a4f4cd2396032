import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, parseParams } from "~/.server/http.server";
import { runFeedResponse } from "~/.server/realtime/run-feed.server";

const ParamsSchema = z.object({ runId: z.string().min(1).max(200) });

/**
 * The realtime feed `useRealtimeRun(runId, { accessToken, baseURL })` reads in embedded mode:
 * the subset of Trigger.dev's protocol the pinned SDK speaks (ADR 007).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { runId } = parseParams(params, ParamsSchema);
  return runFeedResponse(request, runId, { clientAddress: context.clientAddress });
}

export async function action({ request }: ActionFunctionArgs) {
  // Same-origin requests need no CORS; a preflight from a proxy or tool still gets a plain answer.
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: "GET, OPTIONS" } });
  return methodNotAllowed(request, ["GET", "OPTIONS"]);
}
