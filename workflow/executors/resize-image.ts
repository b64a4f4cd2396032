import { join } from "node:path";
import type { NodeParams } from "../nodes/registry";
import { canEncode, ffmpegCommand, probe, runFfmpeg } from "../ffmpeg";
import { type Executor, NodeError } from "../execution";
import { knownSize, requireMedia } from "./media-input";
import { withTempDir } from "./temp-dir";

type ResizeParams = NodeParams<"resize-image">;
type Size = { width: number; height: number };

/** How the picture is drawn into the output: its scaled size and, for contain, where it sits. */
export interface ResizePlan {
  output: Size;
  /** The picture's size after scaling (larger than the output for cover, which trims it). */
  scaled: Size;
}

/**
 * The output size and the scaled picture's. Sizes are worked out here rather than by ffmpeg's
 * expressions so the executor knows the exact output size it hands to storage. With one side
 * empty the other follows the image's ratio and `fit` has nothing to decide.
 */
export function resizePlan(params: Pick<ResizeParams, "width" | "height" | "fit">, source: Size): ResizePlan {
  const { width, height, fit } = params;
  if (width === "" && height === "") {
    throw new NodeError("Give a width, a height or both: with both empty there is no size to resize to.");
  }
  if (width === "" || height === "") {
    const scale = width === "" ? (height as number) / source.height : width / source.width;
    const size = {
      width: width === "" ? Math.max(1, Math.round(source.width * scale)) : width,
      height: height === "" ? Math.max(1, Math.round(source.height * scale)) : height,
    };
    return { output: size, scaled: size };
  }
  const output = { width, height };
  if (fit === "fill") return { output, scaled: output };
  const scale = (fit === "contain" ? Math.min : Math.max)(width / source.width, height / source.height);
  // Rounded, then held to the box: contain must fit inside it, cover must cover it.
  const side = (length: number, box: number) => {
    const rounded = Math.max(1, Math.round(length * scale));
    return fit === "contain" ? Math.min(box, rounded) : Math.max(box, rounded);
  };
  return { output, scaled: { width: side(source.width, width), height: side(source.height, height) } };
}

interface OutputFormat {
  extension: string;
  mime: string;
  encoderOptions: string[];
  /** Whether the border contain adds can be transparent. */
  alpha: boolean;
}

const FORMATS: Record<ResizeParams["format"], OutputFormat> = {
  png: { extension: "png", mime: "image/png", encoderOptions: [], alpha: true },
  jpeg: { extension: "jpg", mime: "image/jpeg", encoderOptions: ["-q:v", "2"], alpha: false },
  webp: { extension: "webp", mime: "image/webp", encoderOptions: ["-c:v", "libwebp", "-quality", "90"], alpha: true },
};

/** The filter chain: scale (exact size, square pixels), then trim (cover) or border (contain). */
export function resizeFilters({ output, scaled }: ResizePlan, format: OutputFormat): string[] {
  const filters = [`scale=${scaled.width}:${scaled.height}:flags=lanczos`, "setsar=1"];
  if (scaled.width > output.width || scaled.height > output.height) {
    filters.push(`crop=${output.width}:${output.height}:exact=1`);
  } else if (scaled.width < output.width || scaled.height < output.height) {
    const x = Math.floor((output.width - scaled.width) / 2);
    const y = Math.floor((output.height - scaled.height) / 2);
    // A transparent border where the format has alpha; black in a JPEG.
    if (format.alpha) filters.push("format=rgba");
    filters.push(`pad=${output.width}:${output.height}:${x}:${y}:color=${format.alpha ? "black@0" : "black"}`);
  }
  return filters;
}

export const resizeImage: Executor<"resize-image"> = async ({ params, inputs, media, signal }) => {
  const image = requireMedia(inputs, "image_url", "image");
  const format = FORMATS[params.format];
  if (params.format === "webp" && !(await canEncode("libwebp"))) {
    throw new NodeError("This server's ffmpeg cannot write WebP (it lacks libwebp); choose PNG or JPEG.");
  }
  const source = await media.localPath(image);
  const plan = resizePlan(params, knownSize(image) ?? (await probe(source, signal)));
  return withTempDir(async (dir) => {
    const target = join(dir, `resized.${format.extension}`);
    const command = ffmpegCommand(source)
      .videoFilters(resizeFilters(plan, format))
      // One frame: the first of an animated GIF.
      .outputOptions("-frames:v", "1", ...format.encoderOptions)
      .output(target);
    await runFfmpeg(command, signal);
    return { output: await media.saveFile({ path: target, mime: format.mime, kind: "image", ...plan.output }) };
  });
};
