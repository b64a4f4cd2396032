import { join } from "node:path";
import { hasAudio, probe, runFfmpeg } from "../ffmpeg";
import { type Executor, NodeError } from "../execution";
import type { MediaValue, NodeInputs } from "../values";
import { isMediaValue } from "../values";
import { knownSize, knownTiming } from "./media-input";
import { withTempDir } from "./temp-dir";

/** What joining needs to know of each clip. */
export interface ClipFacts {
  path: string;
  width: number;
  height: number;
  durationSeconds: number | null;
  frameRate: number | null;
  audio: boolean;
}

/** Used when the first clip does not state its frame rate: the PAL rate ffmpeg itself assumes. */
const FALLBACK_FRAME_RATE = 25;

/** Sound is joined as 48 kHz stereo, what video players and browsers expect of AAC in MP4. */
const AUDIO_FORMAT = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo";

/** The connected videos, in the order of their edges (the order the node shows them in). */
function connectedVideos(inputs: NodeInputs): MediaValue[] {
  const value = inputs.videos;
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new NodeError("Connect one or more videos to this node.");
  return list.map((item, index) => {
    if (!isMediaValue(item) || item.kind !== "video") {
      throw new NodeError(`This node joins videos, but its input number ${index + 1} received something else.`);
    }
    return item;
  });
}

/**
 * ffmpeg's arguments for joining the clips. Every clip is normalised to the first one's picture
 * (scaled to fit, centred on black, square pixels, the first clip's frame rate), since the concat
 * filter needs identical segments. Sound: the output has a sound track when any clip has one,
 * and a clip without sound adds silence of its own length, so later clips stay in sync; when no
 * clip has sound, neither has the output.
 */
export function concatArguments(clips: readonly ClipFacts[], target: string): string[] {
  const [first] = clips;
  // libx264 with 4:2:0 chroma needs even sides.
  const width = first.width - (first.width % 2);
  const height = first.height - (first.height % 2);
  const fps = Number((first.frameRate ?? FALLBACK_FRAME_RATE).toFixed(3));
  const withSound = clips.some((clip) => clip.audio);
  const inputs: string[] = [];
  const filters: string[] = [];
  const segments: string[] = [];
  clips.forEach((clip, index) => {
    inputs.push("-i", clip.path);
    filters.push(
      `[${index}:v:0]scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
        `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${fps},format=yuv420p[v${index}]`,
    );
    segments.push(`[v${index}]`);
    if (!withSound) return;
    if (clip.audio) {
      filters.push(`[${index}:a:0]${AUDIO_FORMAT}[a${index}]`);
    } else {
      if (clip.durationSeconds === null) {
        throw new NodeError(`Could not read how long video number ${index + 1} is, so its silence cannot be added.`);
      }
      filters.push(`anullsrc=r=48000:cl=stereo,atrim=duration=${clip.durationSeconds.toFixed(3)},${AUDIO_FORMAT}[a${index}]`);
    }
    segments.push(`[a${index}]`);
  });
  filters.push(`${segments.join("")}concat=n=${clips.length}:v=1:a=${withSound ? 1 : 0}[v]${withSound ? "[a]" : ""}`);
  return [
    "-y",
    ...inputs,
    "-filter_complex",
    filters.join(";"),
    "-map",
    "[v]",
    ...(withSound ? ["-map", "[a]", "-c:a", "aac", "-b:a", "160k"] : []),
    ...["-c:v", "libx264", "-preset", "veryfast", "-crf", "20"],
    // The index first, so a browser can start playing before the whole file has arrived.
    ...["-movflags", "+faststart", target],
  ];
}

async function clipFacts(video: MediaValue, path: string, signal: AbortSignal): Promise<ClipFacts> {
  const size = knownSize(video);
  const timing = knownTiming(video);
  // Probed only when the value lacks the facts recorded when it was stored.
  const { width, height, durationSeconds, frameRate } = size && timing ? { ...size, ...timing } : await probe(path, signal);
  return { path, width, height, durationSeconds, frameRate, audio: await hasAudio(path, signal) };
}

export const concatVideos: Executor<"concat-videos"> = async ({ inputs, media, signal }) => {
  const videos = connectedVideos(inputs);
  const clips = await Promise.all(videos.map(async (video) => clipFacts(video, await media.localPath(video), signal)));
  return withTempDir(async (dir) => {
    const target = join(dir, "joined.mp4");
    await runFfmpeg(concatArguments(clips, target), signal);
    // Storage probes a video it stores, recording its size, duration and frame rate.
    return { output: await media.saveFile({ path: target, mime: "video/mp4", kind: "video" }) };
  });
};
