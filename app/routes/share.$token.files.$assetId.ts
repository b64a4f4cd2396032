import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { assetFileResponse, findSharedAsset } from "~/.server/asset-files.server";
import { SHARE_RESPONSE_HEADERS, ShareParamsSchema } from "~/.server/models/share.server";

const SharedFileParamsSchema = ShareParamsSchema.extend({ assetId: z.string().min(1).max(64) });

/**
 * A file of a shared run (GET and HEAD, with Range): only one the run uses, and only while the
 * link is live. Anything else is a 404, the same for a revoked link as for a file it never opened.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = SharedFileParamsSchema.safeParse(params);
  const asset = parsed.success ? await findSharedAsset(parsed.data.token, parsed.data.assetId) : null;
  if (!asset) {
    return new Response("Not found", { status: 404, headers: { ...SHARE_RESPONSE_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  }
  const response = await assetFileResponse(request, asset);
  for (const [name, value] of Object.entries(SHARE_RESPONSE_HEADERS)) response.headers.set(name, value);
  // Asked again on each use (a 304 while the link lives), so revoking also stops cached copies.
  response.headers.set("Cache-Control", "private, no-cache");
  return response;
}
