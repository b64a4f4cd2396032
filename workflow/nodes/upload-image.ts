import { z } from "zod";
import { defineNode } from "./types";

/** The single list of accepted image files; the upload form, the upload action and storage all read it. */
export const IMAGE_MIME_TYPE_BY_EXTENSION = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
} as const;

export type ImageExtension = keyof typeof IMAGE_MIME_TYPE_BY_EXTENSION;
export type ImageMimeType = (typeof IMAGE_MIME_TYPE_BY_EXTENSION)[ImageExtension];

export const IMAGE_EXTENSIONS = Object.keys(IMAGE_MIME_TYPE_BY_EXTENSION) as ImageExtension[];
export const IMAGE_MIME_TYPES = [...new Set(Object.values(IMAGE_MIME_TYPE_BY_EXTENSION))];

export const uploadImageNode = defineNode({
  type: "upload-image",
  label: "Upload Image",
  description: "An uploaded jpg, png, webp or gif image.",
  category: "input",
  role: "source",
  placement: "orchestrator",
  executorVersion: 1,
  inputs: [],
  outputs: [{ id: "image", label: "Image", type: "image" }],
  params: z.object({
    // null until the person uploads a file; running the node without one is a run-time error.
    assetId: z.string().min(1).nullable().default(null),
  }),
});
