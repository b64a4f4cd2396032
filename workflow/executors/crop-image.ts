import { join } from "node:path";
import type { NodeParams } from "../nodes/registry";
import { canEncode, ffmpegCommand, probe, runFfmpeg } from "../ffmpeg";
import { type Executor, NodeError } from "../execution";
import { knownSize, requireMedia } from "./media-input";
import { withTempDir } from "./temp-dir";

type CropPercentages = NodeParams<"crop-image">;

export interface PixelRectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The crop in pixels. Each edge is rounded to the nearest pixel on its own, so crops that meet
 * in percent also meet in pixels; at least one pixel is always kept.
 */
export function cropRectangle(crop: CropPercentages, size: { width: number; height: number }): PixelRectangle {
  const [x, width] = pixelSpan(crop.x_percent, crop.width_percent, size.width);
  const [y, height] = pixelSpan(crop.y_percent, crop.height_percent, size.height);
  return { x, y, width, height };
}

function pixelSpan(startPercent: number, lengthPercent: number, total: number): [start: number, length: number] {
  const start = Math.round((total * startPercent) / 100);
  const end = Math.min(total, Math.round((total * (startPercent + lengthPercent)) / 100));
  const length = Math.max(1, end - start);
  return [Math.min(start, total - length), length];
}

/** The core validates parameters by the same rule; this guards values that reach the executor otherwise. */
function assertInsideImage({ x_percent: x, y_percent: y, width_percent: width, height_percent: height }: CropPercentages): void {
  // toFixed: 30.1 + 69.95 must read "100.05", not "100.05000000000001".
  const total = (a: number, b: number) => Number((a + b).toFixed(4));
  if (x + width > 100) {
    throw new NodeError(`The crop goes past the right edge: x ${x}% + width ${width}% = ${total(x, width)}%, more than 100%.`);
  }
  if (y + height > 100) {
    throw new NodeError(`The crop goes past the bottom edge: y ${y}% + height ${height}% = ${total(y, height)}%, more than 100%.`);
  }
}

interface OutputFormat {
  extension: string;
  mime: string;
  encoderOptions: string[];
}

const PNG: OutputFormat = { extension: "png", mime: "image/png", encoderOptions: [] };

/**
 * Keeps the input's format where ffmpeg can write it; PNG otherwise (a cropped GIF is a still).
 * The mime type was read from the file's own bytes when it was stored, so it names the format.
 */
export async function cropOutputFormat(mime: string): Promise<OutputFormat> {
  if (mime === "image/jpeg") return { extension: "jpg", mime: "image/jpeg", encoderOptions: ["-q:v", "2"] };
  if (mime === "image/webp" && (await canEncode("libwebp"))) {
    return { extension: "webp", mime: "image/webp", encoderOptions: ["-c:v", "libwebp", "-quality", "90"] };
  }
  return PNG;
}

export const cropImage: Executor<"crop-image"> = async ({ params, inputs, media, signal }) => {
  assertInsideImage(params);
  const image = requireMedia(inputs, "image_url", "image");
  const source = await media.localPath(image);
  const { x, y, width, height } = cropRectangle(params, knownSize(image) ?? (await probe(source, signal)));
  const format = await cropOutputFormat(image.mime);
  return withTempDir(async (dir) => {
    const target = join(dir, `cropped.${format.extension}`);
    const command = ffmpegCommand(source)
      // exact=1: otherwise ffmpeg rounds the crop down to the chroma grid (even sizes for 4:2:0
      // JPEG and WebP) and refuses a 1-pixel crop.
      .videoFilters(`crop=${width}:${height}:${x}:${y}:exact=1`)
      // One frame: the first of an animated GIF.
      .outputOptions("-frames:v", "1", ...format.encoderOptions)
      .output(target);
    await runFfmpeg(command, signal);
    // The crop filter comes last, so the output is exactly the rectangle's size.
    return { output: await media.saveFile({ path: target, mime: format.mime, kind: "image", width, height }) };
  });
};
