import { z } from "zod";
import { defineNode } from "./types";

export type Timestamp = { kind: "seconds"; seconds: number } | { kind: "percent"; percent: number };

const NUMBER_PATTERN = /^\d+(\.\d+)?$/;

/**
 * Reads a frame position: seconds (a number or a numeric string such as "1.5", since text
 * can feed this port) or a share of the video's duration such as "50%".
 * Returns null for anything else, including negative values and percentages above 100.
 */
export function parseTimestamp(value: unknown): Timestamp | null {
  if (typeof value === "number") {
    return Number.isFinite(value) && value >= 0 ? { kind: "seconds", seconds: value } : null;
  }
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  if (trimmed.endsWith("%")) {
    const digits = trimmed.slice(0, -1).trim();
    if (!NUMBER_PATTERN.test(digits)) return null;
    const percent = Number(digits);
    return percent <= 100 ? { kind: "percent", percent } : null;
  }
  return NUMBER_PATTERN.test(trimmed) ? { kind: "seconds", seconds: Number(trimmed) } : null;
}

export const TimestampSchema = z
  .union([z.number(), z.string()])
  .refine((value) => parseTimestamp(value) !== null, {
    message: 'must be a number of seconds (0 or more) or a percentage of the video from "0%" to "100%"',
  });

export const extractFrameNode = defineNode({
  type: "extract-frame",
  label: "Extract Frame",
  description: "Takes a single frame of a video as an image, at a time in seconds or a percentage.",
  category: "media",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [
    { id: "video_url", label: "Video", type: "video", required: true },
    { id: "timestamp", label: "Timestamp", type: "number", inline: true },
  ],
  outputs: [{ id: "output", label: "Frame", type: "image" }],
  params: z.object({
    timestamp: TimestampSchema.default(0),
  }),
});
