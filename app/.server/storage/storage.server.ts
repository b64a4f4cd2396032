import path from "node:path";
import { env } from "../env.server";
import { LocalStorage } from "./local-storage.server";
import type { BlobStorage } from "./blob-storage.server";
import { S3Storage } from "./s3-storage.server";

let storage: BlobStorage | undefined;

/** S3 when `S3_BUCKET` is set (what a Trigger.dev cloud worker needs), else `<WEFT_DATA_DIR>/files`. */
export function getStorage(): BlobStorage {
  if (!storage) {
    const config = env();
    storage = config.S3_BUCKET
      ? new S3Storage({
          bucket: config.S3_BUCKET,
          region: config.S3_REGION,
          endpoint: config.S3_ENDPOINT,
          forcePathStyle: config.S3_FORCE_PATH_STYLE,
          credentials:
            config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
              ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
              : undefined,
        })
      : new LocalStorage(path.resolve(config.WEFT_DATA_DIR, "files"));
  }
  return storage;
}
