import { z } from "zod";
import { defineNode } from "./types";

/**
 * Largest side a resize may ask for. 8192 px is beyond any screen or social format and what
 * Gemini's image models accept, and an 8192×8192 RGBA frame (256 MB) still fits the task's
 * 1 GB machine with ffmpeg's own buffers; larger sizes would only fail there, later and less clearly.
 */
export const MAX_RESIZE_SIDE = 8192;

/** A side in pixels, or "" (the field left empty) to follow the other side and keep the ratio. */
const SideSchema = z.union([z.number().int().min(1).max(MAX_RESIZE_SIDE), z.literal("")]);

export const RESIZE_FITS = ["contain", "cover", "fill"] as const;
export const RESIZE_FORMATS = ["png", "jpeg", "webp"] as const;

export const resizeImageNode = defineNode({
  type: "resize-image",
  label: "Resize Image",
  description:
    "Scales an image to a width and height (leave one empty to keep the ratio): contain fits it inside with a border, cover fills and trims, fill stretches.",
  category: "media",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [
    { id: "image_url", label: "Image", type: "image", required: true },
    { id: "width", label: "Width px", type: "number", inline: true },
    { id: "height", label: "Height px", type: "number", inline: true },
  ],
  outputs: [{ id: "output", label: "Resized image", type: "image" }],
  // Both sides empty saves (a half-built workflow must), and fails when the node runs.
  params: z.object({
    width: SideSchema.default(1024),
    height: SideSchema.default(""),
    fit: z.enum(RESIZE_FITS).default("contain"),
    format: z.enum(RESIZE_FORMATS).default("png"),
  }),
});
