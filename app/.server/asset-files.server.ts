import { createReadableStreamFromReadable } from "@remix-run/node";
import { getUserId } from "./auth.server";
import type { Asset } from "./generated/prisma/client";
import { findAssetForAccessCheck } from "./models/asset.server";
import { sharedRunOwnerUsingAsset } from "./models/share.server";
import type { BlobStorage, ByteRange } from "./storage/blob-storage.server";
import { getStorage } from "./storage/storage.server";

// Who may read an asset's bytes is decided here and nowhere else: its owner (canReadAsset), and
// a visitor holding a live share link of a run that uses it (findSharedAsset).

/** Whether this request may read the asset's bytes: its owner's (session cookie or API token). */
export async function canReadAsset(request: Request, asset: Asset): Promise<boolean> {
  return (await getUserId(request)) === asset.ownerId;
}

/**
 * The asset if the run shared under `shareToken` uses it, for the share page's media; null for
 * anything else, including a revoked link and every other file of the same owner.
 */
export async function findSharedAsset(shareToken: string, assetId: string): Promise<Asset | null> {
  const ownerId = await sharedRunOwnerUsingAsset(shareToken, assetId);
  if (!ownerId) return null;
  const asset = await findAssetForAccessCheck(assetId);
  // Graphs name files by id alone: one naming another account's file must not open it.
  return asset && asset.ownerId === ownerId ? asset : null;
}

/** The asset if this request may read it; unknown ids and refused ones look the same (null). */
export async function findReadableAsset(request: Request, assetId: string): Promise<Asset | null> {
  const asset = await findAssetForAccessCheck(assetId);
  return asset && (await canReadAsset(request, asset)) ? asset : null;
}

/**
 * The asset's bytes as an HTTP response: whole, or one byte range (video seeking), streamed
 * from storage. The URL names the content's owner-scoped asset, whose bytes never change, so
 * browsers may cache it for good; the SHA-256 is its ETag.
 */
export async function assetFileResponse(
  request: Request,
  asset: Asset,
  storage: BlobStorage = getStorage(),
): Promise<Response> {
  const etag = `"${asset.sha256}"`;
  const headers = new Headers({
    "Content-Type": asset.mime,
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, max-age=31536000, immutable",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  });
  if (matchesEtag(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });

  // If-Range: a range of some other version of the file would be garbage; send it all instead.
  const ifRange = request.headers.get("if-range");
  const rangeHeader = ifRange === null || ifRange === etag ? request.headers.get("range") : null;
  const range = rangeHeader ? parseRange(rangeHeader, asset.bytes) : null;
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${asset.bytes}`);
    return new Response(null, { status: 416, headers });
  }

  const status = range ? 206 : 200;
  if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${asset.bytes}`);
  headers.set("Content-Length", String(range ? range.end - range.start + 1 : asset.bytes));
  if (request.method === "HEAD") return new Response(null, { status, headers });

  const body = await storage.createReadStream(asset.storageKey, range ?? undefined);
  return new Response(createReadableStreamFromReadable(body), { status, headers });
}

function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * One `bytes=` range of a file of `size` bytes, "unsatisfiable" when it lies past the end, or
 * null when the header should be ignored (malformed, another unit, or several ranges — which
 * RFC 9110 lets a server answer with the whole file).
 */
export function parseRange(header: string, size: number): ByteRange | "unsatisfiable" | null {
  const match = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const last = match[2] === "" ? Infinity : Number(match[2]);
  if (last < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(last, size - 1) };
}
