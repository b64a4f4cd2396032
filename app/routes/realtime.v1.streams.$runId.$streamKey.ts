import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, parseParams } from "~/.server/http.server";
import { textStreamResponse } from "~/.server/realtime/text-stream.server";

const ParamsSchema = z.object({ runId: z.string().min(1).max(200), streamKey: z.string().min(1).max(100) });

/**
 * The run's LLM text stream `useRealtimeRunWithStreams` reads in embedded mode, in the form
 * Trigger.dev serves realtime streams (ADR 007).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { runId, streamKey } = parseParams(params, ParamsSchema);
  return textStreamResponse(request, runId, streamKey, { clientAddress: context.clientAddress });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: "GET, OPTIONS" } });
  return methodNotAllowed(request, ["GET", "OPTIONS"]);
}
