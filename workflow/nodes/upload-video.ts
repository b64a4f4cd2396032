import { z } from "zod";
import { defineNode } from "./types";

/** The single list of accepted video files; the upload form, the upload action and storage all read it. */
export const VIDEO_MIME_TYPE_BY_EXTENSION = {
  mp4: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
  m4v: "video/x-m4v",
} as const;

export type VideoExtension = keyof typeof VIDEO_MIME_TYPE_BY_EXTENSION;
export type VideoMimeType = (typeof VIDEO_MIME_TYPE_BY_EXTENSION)[VideoExtension];

export const VIDEO_EXTENSIONS = Object.keys(VIDEO_MIME_TYPE_BY_EXTENSION) as VideoExtension[];
export const VIDEO_MIME_TYPES = [...new Set(Object.values(VIDEO_MIME_TYPE_BY_EXTENSION))];

export const uploadVideoNode = defineNode({
  type: "upload-video",
  label: "Upload Video",
  description: "An uploaded mp4, mov, webm or m4v video.",
  category: "input",
  role: "source",
  placement: "orchestrator",
  executorVersion: 1,
  inputs: [],
  outputs: [{ id: "video", label: "Video", type: "video" }],
  params: z.object({
    // null until the person uploads a file; running the node without one is a run-time error.
    assetId: z.string().min(1).nullable().default(null),
  }),
});
