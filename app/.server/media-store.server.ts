import { access } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { assetUrl } from "~/lib/assets";
import { type MediaStore, type MediaValue, NodeError } from "../../workflow/types";
import { db } from "./db.server";
import { mediaKindOf } from "./media-types.server";
import { getAsset, recordAsset, storeMediaFile } from "./models/asset.server";
import { type BlobStorage, getStorage } from "./storage/storage.server";

/** Where files kept in S3 are downloaded for ffmpeg; named by content, so a file is fetched once per machine. */
const DOWNLOAD_CACHE_DIR = path.join(tmpdir(), "weft-media-cache");

const ARTICLE_AND_KIND = { image: "an image", video: "a video" } as const;

/** The executors' view of one owner's files: their Asset rows plus the configured storage. */
export function createMediaStore(ownerId: string, storage: BlobStorage = getStorage()): MediaStore {
  return {
    async getAsset(assetId, kind) {
      const asset = await getAsset(ownerId, assetId);
      // Someone else's id reads exactly like a deleted one.
      if (!asset) throw new NodeError(`The ${kind} this node uses no longer exists. Upload it again.`);
      if (mediaKindOf(asset.mime) !== kind) {
        throw new NodeError(`This node needs ${ARTICLE_AND_KIND[kind]}, but its file is ${asset.mime}.`);
      }
      return { kind, assetId: asset.id, url: assetUrl(asset.id), mime: asset.mime, sha256: asset.sha256 };
    },

    async localPath(media) {
      const asset = await getAsset(ownerId, media.assetId);
      if (!asset) throw new NodeError(`The ${media.kind} this node uses no longer exists. Upload it again.`);
      return storage.localPath(asset.storageKey) ?? downloadOnce(storage, asset.storageKey, asset.sha256);
    },

    async saveFile(file): Promise<MediaValue> {
      const media = await storeMediaFile(file.path, file, storage);
      const asset = await recordAsset(db, ownerId, media);
      return { kind: file.kind, assetId: asset.id, url: assetUrl(asset.id), mime: asset.mime, sha256: asset.sha256 };
    },
  };
}

const downloads = new Map<string, Promise<string>>();

/** The cached copy of a remote file, downloaded by the first caller that needs it. */
function downloadOnce(storage: BlobStorage, key: string, sha256: string): Promise<string> {
  let download = downloads.get(sha256);
  if (!download) {
    download = (async () => {
      const destination = path.join(DOWNLOAD_CACHE_DIR, sha256);
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
