import { configureFfmpeg } from "~workflow/ffmpeg";
import { env } from "./env.server";

/** What one upload may be, beyond its size in bytes (models/asset.server.ts checks it after ffprobe). */
export interface MediaLimits {
  imagePixels: number;
  videoPixels: number;
  videoSeconds: number;
}

export function mediaLimits(): MediaLimits {
  const config = env();
  return { imagePixels: config.MAX_IMAGE_PIXELS, videoPixels: config.MAX_VIDEO_PIXELS, videoSeconds: config.MAX_VIDEO_DURATION_SECONDS };
}

/**
 * Hands the environment's ffmpeg limits to the workflow core, which reads no configuration of
 * its own: process count, per-process timeout, and the largest picture it will decode (the
 * larger of the image and video limits, so nothing an upload may be is refused).
 */
export function applyFfmpegLimits(): void {
  const config = env();
  configureFfmpeg({
    maxProcesses: config.MAX_FFMPEG_PROCESSES,
    timeoutMs: config.FFMPEG_TIMEOUT_SECONDS * 1000,
    maxPixels: Math.max(config.MAX_IMAGE_PIXELS, config.MAX_VIDEO_PIXELS),
  });
}
