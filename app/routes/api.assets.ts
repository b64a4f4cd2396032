import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { apiError, methodNotAllowed } from "~/.server/http.server";
import { createAssetFromUpload, toAssetSummary, uploadLimits } from "~/.server/models/asset.server";
import { withUploadedFile } from "~/.server/upload.server";

const REJECTION_STATUS = { unsupported_type: 415, too_large: 413, unreadable: 422, over_limits: 422, quota_exceeded: 413 } as const;

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, ["POST"]);
}

/** Upload an image or video: multipart field `file`, optional field `kind` (`image` | `video`). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
  const userId = await requireApiUserId(request);
  const limits = uploadLimits();
  return withUploadedFile(request, limits, async (upload) => {
    const result = await createAssetFromUpload(userId, upload, limits);
    if (!result.ok) return apiError(REJECTION_STATUS[result.reason], result.reason, result.message);
    return json({ asset: toAssetSummary(result.asset) }, { status: 201 });
  });
}
