import { join } from "node:path";
import { parseTimestamp, type Timestamp } from "../nodes/extract-frame";
import { ffmpegCommand, probe, runFfmpeg } from "../ffmpeg";
import { type Executor, NodeError } from "../execution";
import { formatSeconds } from "./extract-frame";
import { knownTiming, requireMedia } from "./media-input";
import { withTempDir } from "./temp-dir";

/** The part of the video to keep, in seconds, and how it is cut. */
export interface TrimCut {
  start: number;
  end: number;
  /**
   * "copy": the packets are copied, losslessly and in a fraction of the time; "encode": the
   * kept part is decoded and encoded again as H.264/AAC.
   */
  mode: "copy" | "encode";
}

/** Containers whose streams an MP4 can hold as they are (phones and most tools write these). */
const COPYABLE_MIME_TYPES = new Set(["video/mp4", "video/quicktime"]);

function secondsOf(timestamp: Timestamp, duration: number | null, name: "Start" | "End"): number {
  if (timestamp.kind === "seconds") return timestamp.seconds;
  if (duration === null) {
    throw new NodeError(`Could not read how long this video is, so a percentage cannot be used; give the ${name.toLowerCase()} in seconds.`);
  }
  return (duration * timestamp.percent) / 100;
}

/**
 * Where to cut, and whether copying will do. A copied cut can only begin on a keyframe (the
 * frames after it need it to decode), and short clips often hold a single keyframe, the first;
 * so the rule is: copy when the cut starts at 0 and the container is MP4/MOV, encode otherwise.
 * The end needs no keyframe: a copied cut stops after the last frame before it.
 */
export function trimCut(
  { start, end }: { start: Timestamp; end: Timestamp },
  video: { durationSeconds: number | null; mime: string },
): TrimCut {
  const duration = video.durationSeconds;
  const from = secondsOf(start, duration, "Start");
  const to = secondsOf(end, duration, "End");
  if (duration !== null && to > duration + 0.0005) {
    throw new NodeError(`End ${formatSeconds(to)} s is beyond the end of the video (${formatSeconds(duration)} s).`);
  }
  if (to <= from) {
    throw new NodeError(`End (${formatSeconds(to)} s) must come after start (${formatSeconds(from)} s).`);
  }
  const mode = from === 0 && COPYABLE_MIME_TYPES.has(video.mime) ? "copy" : "encode";
  return { start: from, end: duration === null ? to : Math.min(to, duration), mode };
}

export const trimVideo: Executor<"trim-video"> = async ({ params, inputs, media, signal }) => {
  const start = parseTimestamp(params.start);
  const end = parseTimestamp(params.end);
  if (!start) throw new NodeError(`Start "${params.start}" is not a number of seconds or a percentage such as "50%".`);
  if (!end) throw new NodeError(`End "${params.end}" is not a number of seconds or a percentage such as "50%".`);
  const video = requireMedia(inputs, "video_url", "video");
  const source = await media.localPath(video);
  const timing = knownTiming(video) ?? (await probe(source, signal));
  const cut = trimCut({ start, end }, { durationSeconds: timing.durationSeconds, mime: video.mime });
  return withTempDir(async (dir) => {
    const target = join(dir, "trimmed.mp4");
    const command = ffmpegCommand(source)
      // Before -i: a copy starts at 0 anyway, and an encode seeks exactly (ffmpeg decodes from
      // the keyframe before and drops the frames ahead of the start).
      .inputOptions("-ss", cut.start.toFixed(3))
      .outputOptions(
        "-t",
        (cut.end - cut.start).toFixed(3),
        // The first video and audio streams; "?" as a video may have no sound.
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        ...(cut.mode === "copy"
          ? ["-c", "copy"]
          : ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k"]),
        // The index first, so a browser can start playing before the whole file has arrived.
        "-movflags",
        "+faststart",
      )
      .output(target);
    await runFfmpeg(command, signal);
    // Storage probes a video it stores, recording its size, duration and frame rate.
    return { output: await media.saveFile({ path: target, mime: "video/mp4", kind: "video" }) };
  });
};
