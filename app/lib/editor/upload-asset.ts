import type { AssetSummary } from "~/lib/assets";
import type { MediaKind } from "~workflow/values";

export type UploadResult = { ok: true; asset: AssetSummary } | { ok: false; message: string };

/**
 * Uploads a file to `POST /api/assets`. XMLHttpRequest rather than fetch, because only it
 * reports upload progress. The server checks the file's content; its refusal is returned as is.
 */
export function uploadAsset(
  file: File,
  options: { kind: MediaKind; onProgress: (percent: number) => void; signal?: AbortSignal },
): Promise<UploadResult> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/assets");
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "text";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress(Math.round((event.loaded / event.total) * 100));
    };
    request.onload = () => resolve(readUploadResponse(request.status, request.responseText));
    request.onerror = () => resolve({ ok: false, message: "The upload failed: could not reach the server." });
    request.onabort = () => resolve({ ok: false, message: "The upload was cancelled." });
    options.signal?.addEventListener("abort", () => request.abort(), { once: true });

    const form = new FormData();
    form.append("kind", options.kind);
    form.append("file", file);
    request.send(form);
  });
}

export function readUploadResponse(status: number, text: string): UploadResult {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // A proxy's HTML error page, say; the status still explains.
  }
  if (status === 201 && isRecord(body) && isRecord(body.asset) && typeof body.asset.id === "string") {
    // The server is the one producer of this shape (AssetSummary); the id check guards against a stray 201.
    return { ok: true, asset: body.asset as unknown as AssetSummary };
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (error && typeof error.message === "string") return { ok: false, message: error.message };
  if (status === 413) return { ok: false, message: "This file is too large to upload." };
  return { ok: false, message: `The upload failed (the server answered ${status}).` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
