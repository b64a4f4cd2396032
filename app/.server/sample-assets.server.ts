import path from "node:path";
import { storeMediaFile, type StoredMedia } from "./models/asset.server";
import type { MediaKind } from "~workflow/values";

// Resolved from the working directory, like WEFT_DATA_DIR's default: the app (dev, build and
// tests) runs from the project root, while this module's own location differs between the
// source tree and the bundled build. scripts/make-sample-media.sh makes these files.
const SAMPLE_MEDIA_DIR = path.resolve("app/.server/sample-media");

export interface SampleMedia {
  image: StoredMedia & { originalName: string };
  video: StoredMedia & { originalName: string };
}

/** Puts the sample product photo and demo video in storage (once: storage is content-addressed). */
export async function storeSampleMedia(): Promise<SampleMedia> {
  const [image, video] = await Promise.all([
    storeSample("product-photo.jpg", { mime: "image/jpeg", kind: "image" }),
    storeSample("demo-video.mp4", { mime: "video/mp4", kind: "video" }),
  ]);
  return { image, video };
}

async function storeSample(fileName: string, type: { mime: string; kind: MediaKind }) {
  return { ...(await storeMediaFile(path.join(SAMPLE_MEDIA_DIR, fileName), type)), originalName: fileName };
}
