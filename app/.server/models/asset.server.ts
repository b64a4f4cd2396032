import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { db } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import type { Asset, Prisma } from "~/.server/generated/prisma/client";
import { checkMediaType, readFileHead } from "~/.server/media-types.server";
import type { MediaKind } from "~workflow/values";
import { type BlobStorage, contentKey } from "~/.server/storage/blob-storage.server";
import { getStorage } from "~/.server/storage/storage.server";
import { assetUrl, type AssetSummary } from "~/lib/assets";
import { formatBytes } from "~workflow/format-bytes";
import { probe } from "~workflow/ffmpeg";
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
  const probed = await probe(path);
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
  | { ok: false; reason: "unsupported_type" | "too_large" | "unreadable"; message: string };

/**
 * Turns an uploaded temporary file into the owner's asset. The file's magic bytes decide its
 * type (its name decides nothing), then the size limit for that kind applies, then ffprobe
 * must be able to read it. The caller removes the temporary file.
 */
export async function createAssetFromUpload(
  ownerId: string,
  upload: { tempPath: string; originalName: string | null; expectedKind?: MediaKind },
  limits: UploadLimits = uploadLimits(),
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

  let media: StoredMedia;
  try {
    media = await storeMediaFile(upload.tempPath, type);
  } catch (error) {
    if (!(error instanceof NodeError)) throw error;
    return {
      ok: false,
      reason: "unreadable",
      message: `This ${type.kind} could not be read; it may be damaged or incomplete. ${error.message}`,
    };
  }
  return { ok: true, asset: await recordAsset(db, ownerId, media, upload.originalName) };
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
