import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { assetFileResponse, findReadableAsset } from "~/.server/asset-files.server";
import { apiError, parseParams } from "~/.server/http.server";

const AssetParamsSchema = z.object({ assetId: z.string().min(1).max(64) });

/** An asset's bytes (GET and HEAD, with Range), for whoever may read it; anyone else gets 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, AssetParamsSchema);
  const asset = await findReadableAsset(request, assetId);
  if (!asset) return apiError(404, "not_found", "No file with this id.");
  return assetFileResponse(request, asset);
}
