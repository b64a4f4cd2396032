import { access, lstat, mkdir, mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { assetUrl } from "~/lib/assets";
import { type MediaValue } from "~workflow/values";
import { type MediaStore, NodeError } from "~workflow/execution";
import { db } from "./db.server";
import type { Asset } from "./generated/prisma/client";
import { mediaKindOf } from "./media-types.server";
import { checkStorageQuota, getAsset, recordAsset, storeMediaFile } from "./models/asset.server";
import type { BlobStorage } from "./storage/blob-storage.server";
import { getStorage } from "./storage/storage.server";

let cacheDir: Promise<string> | undefined;

/**
 * Where files kept in S3 are downloaded for ffmpeg; named by content, so a file is fetched once.
 * The temporary directory is shared with every user of the machine, so the cache is a directory
 * only this process's user can enter: `weft-media-cache-<uid>`, made with mode 700, and used
 * only if it is still a real directory of ours that nobody else can read or write. Otherwise
 * (someone made it first, or loosened it) a fresh private directory is made for this process.
 */
export function downloadCacheDir(base = tmpdir()): Promise<string> {
  cacheDir ??= privateDirectory(base);
  return cacheDir;
}

export async function privateDirectory(base: string): Promise<string> {
  const uid = process.getuid?.() ?? 0;
  const stable = path.join(base, `weft-media-cache-${uid}`);
  await mkdir(stable, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  const info = await lstat(stable);
  if (info.isDirectory() && !info.isSymbolicLink() && info.uid === uid && (info.mode & 0o077) === 0) return stable;
  return mkdtemp(path.join(base, `weft-media-cache-${uid}-`));
}

const ARTICLE_AND_KIND = { image: "an image", video: "a video" } as const;

/**
 * The executors' view of one owner's files: their Asset rows plus the configured storage. A store
 * serves one run (or one task) and remembers the rows it has read or written, so the file of an
 * asset an upload node has just read, or an executor has just made, is found without a query.
 */
export function createMediaStore(ownerId: string, storage: BlobStorage = getStorage()): MediaStore {
  const rows = new Map<string, Asset>();

  async function ownAsset(assetId: string, kind: MediaValue["kind"]): Promise<Asset> {
    const asset = rows.get(assetId) ?? (await getAsset(ownerId, assetId));
    // Someone else's id reads exactly like a deleted one.
    if (!asset) throw new NodeError(`The ${kind} this node uses no longer exists. Upload it again.`);
    rows.set(asset.id, asset);
    return asset;
  }

  return {
    async getAsset(assetId, kind) {
      const asset = await ownAsset(assetId, kind);
      if (mediaKindOf(asset.mime) !== kind) {
        throw new NodeError(`This node needs ${ARTICLE_AND_KIND[kind]}, but its file is ${asset.mime}.`);
      }
      return mediaValueOf(asset, kind);
    },

    async localPath(media) {
      const asset = await ownAsset(media.assetId, media.kind);
      return storage.localPath(asset.storageKey) ?? downloadOnce(storage, asset.storageKey, asset.sha256);
    },

    async saveFile(file): Promise<MediaValue> {
      const quota = await checkStorageQuota(ownerId, (await stat(file.path)).size);
      if (!quota.ok) throw new NodeError(quota.message);
      const asset = await recordAsset(db, ownerId, await storeMediaFile(file.path, file, storage));
      rows.set(asset.id, asset);
      return mediaValueOf(asset, file.kind);
    },
  };
}

/** The asset as executors see it, with the facts its row records (a null column is left out). */
function mediaValueOf(asset: Asset, kind: MediaValue["kind"]): MediaValue {
  const media: MediaValue = { kind, assetId: asset.id, url: assetUrl(asset.id), mime: asset.mime, sha256: asset.sha256 };
  if (asset.width !== null) media.width = asset.width;
  if (asset.height !== null) media.height = asset.height;
  if (asset.durationSeconds !== null) media.durationSeconds = asset.durationSeconds;
  if (asset.frameRate !== null) media.frameRate = asset.frameRate;
  return media;
}

const downloads = new Map<string, Promise<string>>();

/** The cached copy of a remote file, downloaded by the first caller that needs it. */
function downloadOnce(storage: BlobStorage, key: string, sha256: string): Promise<string> {
  let download = downloads.get(sha256);
  if (!download) {
    download = (async () => {
      const destination = path.join(await downloadCacheDir(), sha256);
      // Complete copies only ever appear there (downloadToFile renames into place).
      const cached = await access(destination).then(
        () => true,
        () => false,
      );
      if (!cached) await storage.downloadToFile(key, destination);
      return destination;
    })();
    downloads.set(sha256, download);
    // Settled downloads leave the map: the file on disk is the cache from then on.
    void download.finally(() => downloads.delete(sha256)).catch(() => undefined);
  }
  return download;
}
