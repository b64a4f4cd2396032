import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { db } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import type { Asset, Prisma } from "~/.server/generated/prisma/client";
import { mediaLimits, type MediaLimits } from "~/.server/media-limits.server";
import { checkMediaType, readFileHead } from "~/.server/media-types.server";
import type { MediaKind } from "~workflow/values";
import { type BlobStorage, contentKey } from "~/.server/storage/blob-storage.server";
import { getStorage } from "~/.server/storage/storage.server";
import { assetUrl, type AssetSummary } from "~/lib/assets";
import { formatBytes } from "~workflow/format-bytes";
import { probe, TooManyPixelsError, type MediaProbe } from "~workflow/ffmpeg";
import { NodeError } from "~workflow/execution";

/** The largest file accepted per kind, in bytes. */
export interface UploadLimits {
  image: number;
  video: number;
}

export function uploadLimits(): UploadLimits {
  const config = env();
  return { image: config.MAX_IMAGE_UPLOAD_BYTES, video: config.MAX_VIDEO_UPLOAD_BYTES };
}

/** A file whose bytes are in storage, with what an Asset row records about them. */
export interface StoredMedia {
  storageKey: string;
  sha256: string;
  bytes: number;
  mime: string;
  width: number;
  height: number;
  /** Videos only. */
  durationSeconds: number | null;
  /** Videos only. */
  frameRate: number | null;
}

/** What is known about a file before storing it: its type, and for an image made by Weft, its size. */
export interface MediaFileFacts {
  mime: string;
  kind: MediaKind;
  width?: number;
  height?: number;
  /** What ffprobe already read from the file, so it is not read twice. */
  probed?: MediaProbe;
}

/**
 * Puts a media file's bytes in storage under their content address, so equal files are stored
 * once however many assets (of however many owners) name them, and reads its size (and a
 * video's duration and frame rate) with ffprobe, rejecting with a NodeError when ffprobe
 * cannot read it. An image whose size is given is not probed: executors know what they wrote.
 */
export async function storeMediaFile(
  path: string,
  file: MediaFileFacts,
  storage: BlobStorage = getStorage(),
): Promise<StoredMedia> {
  const [facts, sha256, { size }] = await Promise.all([mediaFacts(path, file), sha256OfFile(path), stat(path)]);
  const storageKey = contentKey(sha256);
  if ((await storage.stat(storageKey))?.size !== size) {
    await storage.put(storageKey, path, { contentType: file.mime });
  }
  return { storageKey, sha256, bytes: size, mime: file.mime, ...facts };
}

type MeasuredFacts = Pick<StoredMedia, "width" | "height" | "durationSeconds" | "frameRate">;

async function mediaFacts(path: string, file: MediaFileFacts): Promise<MeasuredFacts> {
  if (file.kind === "image" && file.width && file.height) {
    return { width: file.width, height: file.height, durationSeconds: null, frameRate: null };
  }
  const probed = file.probed ?? (await probe(path));
  const video = file.kind === "video";
  return {
    width: probed.width,
    height: probed.height,
    durationSeconds: video ? probed.durationSeconds : null,
    frameRate: video ? probed.frameRate : null,
  };
}

/**
 * The owner's asset for these bytes: an existing one with the same content (uploading a file
 * twice gives one asset), else a new row. Takes a transaction client so sign-up can create the
 * sample assets together with the account.
 */
export async function recordAsset(
  client: Prisma.TransactionClient,
  ownerId: string,
  media: StoredMedia,
  originalName: string | null = null,
): Promise<Asset> {
  const existing = await client.asset.findFirst({
    where: { ownerId, sha256: media.sha256 },
    orderBy: { createdAt: "asc" },
  });
  if (existing) return existing;
  const { storageKey, sha256, bytes, mime, width, height, durationSeconds, frameRate } = media;
  return client.asset.create({
    data: { ownerId, originalName, storageKey, sha256, bytes, mime, width, height, durationSeconds, frameRate },
  });
}

export type AssetUploadResult =
  | { ok: true; asset: Asset }
  | { ok: false; reason: "unsupported_type" | "too_large" | "unreadable" | "over_limits" | "quota_exceeded"; message: string };

/**
 * Turns an uploaded temporary file into the owner's asset. The file's magic bytes decide its
 * type (its name decides nothing), then the size limit for that kind applies, then ffprobe
 * must be able to read it. The caller removes the temporary file.
 */
export async function createAssetFromUpload(
  ownerId: string,
  upload: { tempPath: string; originalName: string | null; expectedKind?: MediaKind },
  limits: UploadLimits = uploadLimits(),
  media: MediaLimits = mediaLimits(),
): Promise<AssetUploadResult> {
  const type = checkMediaType(await readFileHead(upload.tempPath), upload.expectedKind);
  if (!type.ok) return { ok: false, reason: "unsupported_type", message: type.message };

  const { size } = await stat(upload.tempPath);
  const limit = limits[type.kind];
  if (size > limit) {
    return {
      ok: false,
      reason: "too_large",
      message: `This ${type.kind} is ${formatBytes(size)}; ${type.kind}s may be at most ${formatBytes(limit)}.`,
    };
  }

  let probed: MediaProbe;
  try {
    probed = await probe(upload.tempPath);
  } catch (error) {
    if (error instanceof TooManyPixelsError) return { ok: false, reason: "over_limits", message: `This ${type.kind} is too large: ${error.message}` };
    if (!(error instanceof NodeError)) throw error;
    return {
      ok: false,
      reason: "unreadable",
      message: `This ${type.kind} could not be read; it may be damaged or incomplete. ${error.message}`,
    };
  }
  const overLimit = mediaOverLimit(type.kind, probed, media);
  if (overLimit) return { ok: false, reason: "over_limits", message: overLimit };
  const quota = await checkStorageQuota(ownerId, size);
  if (!quota.ok) return { ok: false, reason: "quota_exceeded", message: quota.message };

  const stored = await storeMediaFile(upload.tempPath, { ...type, probed });
  return { ok: true, asset: await recordAsset(db, ownerId, stored, upload.originalName) };
}

export interface StorageUsage {
  usedBytes: number;
  quotaBytes: number;
}

/** What the owner's files (uploads and generated ones) take in storage, against their quota. */
export async function storageUsage(ownerId: string): Promise<StorageUsage> {
  const { _sum } = await db.asset.aggregate({ where: { ownerId }, _sum: { bytes: true } });
  return { usedBytes: _sum.bytes ?? 0, quotaBytes: env().STORAGE_QUOTA_BYTES };
}

/**
 * Whether `bytes` more fit in the owner's quota. Checked before each file is kept, so parallel
 * writes may overshoot by what is in flight (at most a few files), never by more.
 */
export async function checkStorageQuota(ownerId: string, bytes: number): Promise<{ ok: true } | { ok: false; message: string }> {
  const { usedBytes, quotaBytes } = await storageUsage(ownerId);
  if (usedBytes + bytes <= quotaBytes) return { ok: true };
  return {
    ok: false,
    message: `Your files would take ${formatBytes(usedBytes + bytes)}, over your storage quota of ${formatBytes(quotaBytes)} (${formatBytes(usedBytes)} used).`,
  };
}

/** Why an upload is beyond the picture or duration limits, or null when it is within them. */
export function mediaOverLimit(kind: MediaKind, probed: MediaProbe, limits: MediaLimits): string | null {
  const pixels = probed.width * probed.height;
  const maxPixels = kind === "image" ? limits.imagePixels : limits.videoPixels;
  if (pixels > maxPixels) {
    return `This ${kind} is ${probed.width}×${probed.height} pixels (${megapixels(pixels)}); ${kind}s may be at most ${megapixels(maxPixels)}.`;
  }
  if (kind === "video" && probed.durationSeconds !== null && probed.durationSeconds > limits.videoSeconds) {
    return `This video is ${Math.round(probed.durationSeconds)} s long; videos may be at most ${limits.videoSeconds} s.`;
  }
  return null;
}

function megapixels(pixels: number) {
  return `${Number((pixels / 1_000_000).toFixed(1))} MP`;
}

/** The owner's asset, or null when it does not exist or is someone else's. */
export async function getAsset(ownerId: string, assetId: string): Promise<Asset | null> {
  return db.asset.findFirst({ where: { id: assetId, ownerId } });
}

/** Anyone's asset, for code that decides access itself (`canReadAsset`); everything else uses getAsset. */
export async function findAssetForAccessCheck(assetId: string): Promise<Asset | null> {
  return db.asset.findUnique({ where: { id: assetId } });
}

export function toAssetSummary(asset: Asset): AssetSummary {
  return {
    id: asset.id,
    url: assetUrl(asset.id),
    mime: asset.mime,
    bytes: asset.bytes,
    sha256: asset.sha256,
    width: asset.width,
    height: asset.height,
    durationSeconds: asset.durationSeconds,
    originalName: asset.originalName,
  };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
