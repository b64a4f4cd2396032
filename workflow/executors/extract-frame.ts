import { join } from "node:path";
import { parseTimestamp, type Timestamp } from "../nodes/extract-frame";
import { ffmpegCommand, type MediaProbe, probe, runFfmpeg } from "../ffmpeg";
import { type Executor, NodeError } from "../execution";
import { knownTiming, requireMedia } from "./media-input";
import { readPngSize } from "./png-size";
import { withTempDir } from "./temp-dir";

/** Seconds as people read them: one decimal at least, three at most ("12.0", "8.04"). */
export function formatSeconds(seconds: number): string {
  const text = seconds.toFixed(3).replace(/0+$/, "");
  return text.endsWith(".") ? `${text}0` : text;
}

/** Assumed when a video does not state its frame rate; only used to find its last frame. */
const FALLBACK_FRAME_RATE = 25;

/** What finding a frame needs to know about a video; null where the file does not say. */
type VideoTiming = Pick<MediaProbe, "durationSeconds" | "frameRate">;

/** The time to take the frame at, checked against the video's length. */
function frameTime(timestamp: Timestamp, video: VideoTiming): { seconds: number; seek: number } {
  const duration = video.durationSeconds;
  if (duration === null) {
    if (timestamp.kind === "percent") {
      throw new NodeError("Could not read how long this video is, so a percentage cannot be used; give the timestamp in seconds.");
    }
    return { seconds: timestamp.seconds, seek: timestamp.seconds };
  }
  const seconds = timestamp.kind === "percent" ? (duration * timestamp.percent) / 100 : timestamp.seconds;
  if (seconds > duration) {
    throw new NodeError(
      `Timestamp ${formatSeconds(seconds)} s is beyond the end of the video (${formatSeconds(duration)} s).`,
    );
  }
  // ffmpeg returns the first frame that starts at or after the seek point, and none starts
  // inside the last frame's span (e.g. at "100%"), so such times take the last frame.
  const lastFrameStart = Math.max(0, duration - 1 / (video.frameRate ?? FALLBACK_FRAME_RATE));
  return { seconds, seek: Math.min(seconds, lastFrameStart) };
}

export const extractFrame: Executor<"extract-frame"> = async ({ params, inputs, media, signal }) => {
  const timestamp = parseTimestamp(params.timestamp);
  if (!timestamp) {
    throw new NodeError(`Timestamp "${params.timestamp}" is not a number of seconds or a percentage such as "50%".`);
  }
  const video = requireMedia(inputs, "video_url", "video");
  const source = await media.localPath(video);
  const { seconds, seek } = frameTime(timestamp, knownTiming(video) ?? (await probe(source, signal)));
  return withTempDir(async (dir) => {
    const target = join(dir, "frame.png");
    const command = ffmpegCommand(source)
      // Seeking before -i jumps to the nearest keyframe instead of decoding from the start.
      .inputOptions("-ss", seek.toFixed(3))
      .outputOptions("-frames:v", "1", "-an")
      .output(target);
    await runFfmpeg(command, signal);
    // Read from the file rather than assumed to be the video's: ffmpeg turns frames of a video
    // recorded sideways the way it is shown.
    const size = await readPngSize(target);
    // ffmpeg exits successfully without writing anything when no frame follows the seek point.
    if (!size) throw new NodeError(`The video has no frame at ${formatSeconds(seconds)} s.`);
    return { output: await media.saveFile({ path: target, mime: "image/png", kind: "image", ...size }) };
  });
};
