import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import ffmpeg, { type FfmpegCommand } from "fluent-ffmpeg";
import { z } from "zod";
import { createConcurrencyLimit } from "./concurrency-limit";
import { abortError } from "./executors/abort";
import { NodeError } from "./execution";

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * Where the binaries are. Trigger.dev's ffmpeg build extension installs them in the worker
 * image and sets FFMPEG_PATH / FFPROBE_PATH, so those win; elsewhere the static builds shipped
 * on npm are used. The only place in Weft that reads these two variables.
 */
export function ffmpegPaths(env: Record<string, string | undefined> = process.env): FfmpegPaths {
  return {
    ffmpeg: env.FFMPEG_PATH?.trim() || installedBinary("@ffmpeg-installer/ffmpeg"),
    ffprobe: env.FFPROBE_PATH?.trim() || installedBinary("@ffprobe-installer/ffprobe"),
  };
}

const requireFromHere = createRequire(import.meta.url);

function installedBinary(installerPackage: string): string {
  // Loaded only when needed: the installer packages throw on import when their platform's
  // binary is absent, which is expected where FFMPEG_PATH / FFPROBE_PATH point elsewhere.
  const installer: { path: string } = requireFromHere(installerPackage);
  return installer.path;
}

/** What one process may do with the machine; the host sets them from its configuration. */
export interface FfmpegLimits {
  /** ffmpeg and ffprobe processes running at once in this process; the rest wait their turn. */
  maxProcesses: number;
  /** Longest one process may run before it is killed and its caller fails. */
  timeoutMs: number;
  /** Largest picture (width × height) ffmpeg and ffprobe will decode. */
  maxPixels: number;
}

const limits: FfmpegLimits = { maxProcesses: 4, timeoutMs: 120_000, maxPixels: 40_000_000 };
const processes = createConcurrencyLimit(limits.maxProcesses);

/** Sets the limits (app/.server/media-limits.server.ts calls it with the environment's values). */
export function configureFfmpeg(changes: Partial<FfmpegLimits>): void {
  Object.assign(limits, changes);
  processes.max = limits.maxProcesses;
}

/** The limits in force, and how many processes run and wait now (tests and diagnostics). */
export function ffmpegLoad(): { limits: Readonly<FfmpegLimits>; running: number; waiting: number; peak: number } {
  return { limits: { ...limits }, running: processes.active, waiting: processes.waiting, peak: processes.peak };
}

/**
 * A fluent-ffmpeg command on Weft's ffmpeg that logs errors only, so the first line it prints
 * is the reason a run failed (shown to the person as the node error). Its input is decoded only
 * up to the pixel limit, so a small file declaring a huge picture cannot take the memory.
 */
export function ffmpegCommand(input: string): FfmpegCommand {
  return ffmpeg(input)
    .setFfmpegPath(ffmpegPaths().ffmpeg)
    .inputOptions("-hide_banner", "-loglevel", "error", "-max_pixels", String(limits.maxPixels));
}

/** Raw arguments (run as `ffmpeg -hide_banner -nostdin -loglevel error <args>`) or a fluent command. */
export type FfmpegJob = readonly string[] | FfmpegCommand;

/**
 * Runs ffmpeg to completion. Aborting the signal kills the process (SIGKILL) and rejects with an
 * AbortError once it has exited; a failure rejects with a NodeError carrying ffmpeg's reason.
 */
export function runFfmpeg(job: FfmpegJob, signal: AbortSignal): Promise<void> {
  return processes.run(() => (isArgumentList(job) ? runArguments(job, signal) : runCommand(job, signal)), signal);
}

function timeoutError(binary: string): NodeError {
  const name = binary.split("/").at(-1) ?? binary;
  return new NodeError(`${name} took longer than ${Number((limits.timeoutMs / 1000).toFixed(1))} s and was stopped.`);
}

function isArgumentList(job: FfmpegJob): job is readonly string[] {
  return Array.isArray(job);
}

async function runArguments(args: readonly string[], signal: AbortSignal): Promise<void> {
  const result = await runProcess(
    ffmpegPaths().ffmpeg,
    ["-hide_banner", "-nostdin", "-loglevel", "error", "-max_pixels", String(limits.maxPixels), ...args],
    signal,
    { captureStdout: false },
  );
  if (result.code !== 0) throw ffmpegFailure(result.stderr);
}

function runCommand(command: FfmpegCommand, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const kill = () => command.kill("SIGKILL");
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, limits.timeoutMs);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", kill);
      if (signal.aborted) reject(abortError());
      else if (timedOut) reject(timeoutError("ffmpeg"));
      else if (error) reject(error);
      else resolve();
    };
    command
      .setFfmpegPath(ffmpegPaths().ffmpeg)
      // fluent-ffmpeg checks capabilities before spawning; an abort in that window finds no
      // process to kill, so it is honoured as soon as the process starts.
      .on("start", () => {
        if (signal.aborted) kill();
      })
      .on("end", () => settle())
      .on("error", (error: Error, _stdout: string | null, stderr: string | null) =>
        settle(stderr ? ffmpegFailure(stderr) : new NodeError(`ffmpeg failed: ${error.message}`)),
      );
    command.run();
    signal.addEventListener("abort", kill, { once: true });
  });
}

function ffmpegFailure(stderr: string): NodeError {
  return new NodeError(`ffmpeg failed: ${firstErrorLine(stderr) ?? "it exited without saying why"}`);
}

/**
 * ffmpeg prints the cause first and its consequences after ("Invalid too big … size", then
 * "Error reinitializing filters!"); the "[crop @ 0x…]" prefix means nothing to a person.
 */
function firstErrorLine(stderr: string): string | undefined {
  const line = stderr
    .split(/\r?\n/)
    .map((text) => text.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, "").trim())
    .find((text) => text.length > 0);
  return line && line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export interface MediaProbe {
  width: number;
  height: number;
  /** From the video stream, else the container; null when the file has none (most still images). */
  durationSeconds: number | null;
  /** Frames per second, when the file states it. */
  frameRate: number | null;
  /** ffprobe's codec name, e.g. "png", "mjpeg", "gif", "webp", "h264". */
  codec: string;
  /** ffprobe's format name, e.g. "png_pipe", "mov,mp4,m4a,3gp,3g2,mj2". */
  format: string;
}

const FfprobeOutputSchema = z.object({
  streams: z
    .array(
      z.object({
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        duration: z.string().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
      }),
    )
    .default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).optional(),
});

/** A picture larger than the pixel limit: refused before it is decoded. */
export class TooManyPixelsError extends NodeError {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(
      `The picture is ${width}×${height} pixels (${formatMegapixels(width * height)}), over the limit of ${formatMegapixels(maxPixels)}.`,
    );
  }
}

function formatMegapixels(pixels: number): string {
  return `${Number((pixels / 1_000_000).toFixed(1))} MP`;
}

/**
 * Size, duration and codec of an image or video's first video stream, read with ffprobe. A
 * picture over the pixel limit is not decoded at all: TooManyPixelsError says how large it is.
 */
export async function probe(path: string, signal?: AbortSignal): Promise<MediaProbe> {
  const result = await processes.run(
    () =>
      runProcess(
        ffmpegPaths().ffprobe,
        ["-v", "error", "-max_pixels", String(limits.maxPixels), "-print_format", "json", "-show_format", "-show_streams", "-select_streams", "v:0", path],
        signal,
        { captureStdout: true },
      ),
    signal,
  );
  const oversized = /Picture size (\d+)x(\d+) exceeds specified max pixel count/.exec(result.stderr);
  if (oversized) throw new TooManyPixelsError(Number(oversized[1]), Number(oversized[2]), limits.maxPixels);
  const output = result.code === 0 ? FfprobeOutputSchema.parse(JSON.parse(result.stdout)) : undefined;
  const stream = output?.streams[0];
  // ffprobe may exit 0 on a broken file, reporting a 0×0 stream plus an error line.
  if (!stream?.width || !stream.height) {
    const reason = firstErrorLine(result.stderr) ?? "ffprobe found no picture in it";
    throw new NodeError(`Could not read the file as an image or video: ${reason}`);
  }
  return {
    width: stream.width,
    height: stream.height,
    durationSeconds: positiveNumber(stream.duration) ?? positiveNumber(output?.format?.duration),
    frameRate: frameRate(stream.avg_frame_rate) ?? frameRate(stream.r_frame_rate),
    codec: stream.codec_name ?? "unknown",
    format: output?.format?.format_name ?? "unknown",
  };
}

/** Whether the file has a sound track (ffprobe lists an audio stream). */
export async function hasAudio(path: string, signal?: AbortSignal): Promise<boolean> {
  const result = await runProcess(
    ffmpegPaths().ffprobe,
    ["-v", "error", "-select_streams", "a", "-show_entries", "stream=index", "-of", "csv=p=0", path],
    signal,
    { captureStdout: true },
  );
  if (result.code !== 0) throw new NodeError(`Could not read the file as a video: ${firstErrorLine(result.stderr) ?? "ffprobe failed"}`);
  return result.stdout.trim().length > 0;
}

function positiveNumber(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

/** ffprobe writes rates as fractions ("30000/1001"), and "0/0" when it does not know. */
function frameRate(fraction: string | undefined): number | null {
  const [numerator, denominator] = (fraction ?? "").split("/").map(Number);
  const rate = numerator / denominator;
  return Number.isFinite(rate) && rate > 0 ? rate : null;
}

const encodersByBinary = new Map<string, Promise<Set<string>>>();

/** Whether this ffmpeg build has an encoder (e.g. "libwebp"); asked once per binary. */
export async function canEncode(encoder: string): Promise<boolean> {
  const binary = ffmpegPaths().ffmpeg;
  let encoders = encodersByBinary.get(binary);
  if (!encoders) {
    encoders = listEncoders(binary);
    encodersByBinary.set(binary, encoders);
    // A failed listing is not cached, so a later call can try again.
    encoders.catch(() => encodersByBinary.delete(binary));
  }
  return (await encoders).has(encoder);
}

async function listEncoders(binary: string): Promise<Set<string>> {
  const result = await runProcess(binary, ["-hide_banner", "-encoders"], undefined, { captureStdout: true });
  if (result.code !== 0) throw ffmpegFailure(result.stderr);
  // Lines look like " V..... libwebp    libwebp WebP image (codec webp)".
  const names = [...result.stdout.matchAll(/^\s*[VAS][A-Z.]{5}\s+(\S+)/gm)].map((match) => match[1]);
  return new Set(names);
}

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const STDERR_TAIL_CHARS = 8_192;

function runProcess(
  binary: string,
  args: string[],
  signal: AbortSignal | undefined,
  options: { captureStdout: boolean },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const child = spawn(binary, args, { stdio: ["ignore", options.captureStdout ? "pipe" : "ignore", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (data: string) => (stdout += data));
    child.stderr?.setEncoding("utf8").on("data", (data: string) => (stderr = (stderr + data).slice(-STDERR_TAIL_CHARS)));
    const kill = () => child.kill("SIGKILL");
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, limits.timeoutMs);
    signal?.addEventListener("abort", kill, { once: true });
    child.on("error", (error) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", kill);
      reject(new NodeError(`Could not start ${binary}: ${error.message}`));
    });
    // Settles after exit, so an aborted caller never races a process still writing its output.
    child.on("close", (code) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", kill);
      if (signal?.aborted) reject(abortError());
      else if (timedOut) reject(timeoutError(binary));
      else resolve({ code, stdout, stderr });
    });
  });
}
