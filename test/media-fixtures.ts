import { createHash, randomUUID } from "node:crypto";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import type { NodeParams, NodeType } from "~workflow/nodes/registry";
import { canEncode, probe, runFfmpeg } from "~workflow/ffmpeg";
import { type MediaValue, type NodeInputs } from "~workflow/values";
import { type ExecutionContext, type LlmSettings, type MediaStore, type NodeCheckpoint, NodeError } from "~workflow/execution";
import { sleep } from "~workflow/executors/abort";
import { memoryCheckpoint } from "~workflow/run-node";

/** Small media generated with ffmpeg's test sources, in a temporary directory. */
export interface MediaFixtures {
  dir: string;
  /** 320×240 test pattern. */
  png: string;
  /** 320×240, 4:2:0 like a camera's JPEG. */
  jpeg: string;
  /** 320×240, animated (5 frames). */
  gif: string;
  /** 320×240, or null when this ffmpeg has no libwebp encoder. */
  webp: string | null;
  /** 2 s, 160×120, 25 fps, H.264, a moving test pattern (every frame differs). */
  mp4: string;
  remove(): Promise<void>;
}

export async function createMediaFixtures(): Promise<MediaFixtures> {
  const dir = await mkdtemp(join(tmpdir(), "weft-fixtures-"));
  const signal = AbortSignal.timeout(30_000);
  const file = (name: string) => join(dir, name);
  const still = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1"];
  const webp = (await canEncode("libwebp")) ? file("pattern.webp") : null;
  await Promise.all([
    runFfmpeg([...still, file("pattern.png")], signal),
    runFfmpeg([...still, "-pix_fmt", "yuvj420p", "-q:v", "3", file("pattern.jpg")], signal),
    runFfmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=5", "-frames:v", "5", file("pattern.gif")], signal),
    webp ? runFfmpeg([...still, "-c:v", "libwebp", webp], signal) : undefined,
    runFfmpeg(
      ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", file("clip.mp4")],
      signal,
    ),
  ]);
  return {
    dir,
    png: file("pattern.png"),
    jpeg: file("pattern.jpg"),
    gif: file("pattern.gif"),
    webp,
    mp4: file("clip.mp4"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

const MIME_BY_EXTENSION: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".mp4": "video/mp4",
};

/** A MediaStore over a temporary directory, standing in for the app's storage. */
export interface TestMediaStore extends MediaStore {
  /**
   * Makes a file an asset of the run's owner, as an upload would: probed, with its size (and a
   * video's duration and frame rate) on the value. `withFacts: false` gives a value without them,
   * as stored before they were recorded (and skips the probe, so any file can be added).
   */
  add(path: string, kind: MediaValue["kind"], options?: { withFacts?: boolean }): Promise<MediaValue>;
  /** What executors saved, in order. */
  saved: MediaValue[];
  remove(): Promise<void>;
}

export async function createTestMediaStore(): Promise<TestMediaStore> {
  const dir = await mkdtemp(join(tmpdir(), "weft-media-"));
  const assets = new Map<string, { value: MediaValue; path: string }>();
  const saved: MediaValue[] = [];

  async function register(path: string, mime: string, kind: MediaValue["kind"], facts: MediaFacts = {}): Promise<MediaValue> {
    const assetId = randomUUID();
    const sha256 = createHash("sha256").update(await readFile(path)).digest("hex");
    const value: MediaValue = { kind, assetId, url: `/assets/${assetId}`, mime, sha256, ...facts };
    assets.set(assetId, { value, path });
    return value;
  }

  return {
    saved,
    async add(path, kind, { withFacts = true } = {}) {
      const mime = MIME_BY_EXTENSION[extname(path)] ?? "application/octet-stream";
      return register(path, mime, kind, withFacts ? await probedFacts(path, kind) : {});
    },
    async getAsset(assetId, kind) {
      const asset = assets.get(assetId);
      if (!asset || asset.value.kind !== kind) throw new NodeError(`The uploaded ${kind} no longer exists.`);
      return asset.value;
    },
    async localPath(media) {
      const asset = assets.get(media.assetId);
      if (!asset) throw new Error(`No file for asset ${media.assetId}`);
      return asset.path;
    },
    async saveFile({ path, mime, kind, width, height }) {
      const copy = join(dir, `${randomUUID()}${extname(path)}`);
      await copyFile(path, copy);
      // What the executor said about its image, kept like the app's store keeps it, so tests can
      // check it; a video is probed, as the app's store probes it.
      const facts = kind === "video" ? await probedFacts(copy, kind) : { width, height };
      const value = await register(copy, mime, kind, facts);
      saved.push(value);
      return value;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

type MediaFacts = Pick<MediaValue, "width" | "height" | "durationSeconds" | "frameRate">;

async function probedFacts(path: string, kind: MediaValue["kind"]): Promise<MediaFacts> {
  const { width, height, durationSeconds, frameRate } = await probe(path);
  if (kind === "image") return { width, height };
  return { width, height, durationSeconds: durationSeconds ?? undefined, frameRate: frameRate ?? undefined };
}

/** An executor's context with test defaults: no API key, a 5 s LLM timeout, a signal never aborted. */
export function executionContext<K extends NodeType>(fields: {
  params: NodeParams<K>;
  media: MediaStore;
  inputs?: NodeInputs;
  signal?: AbortSignal;
  llm?: Partial<LlmSettings>;
  onText?: (textSoFar: string) => void;
  checkpoint?: NodeCheckpoint;
  reportUsage?: ExecutionContext<K>["reportUsage"];
}): ExecutionContext<K> {
  const signal = fields.signal ?? new AbortController().signal;
  return {
    nodeId: "node-under-test",
    params: fields.params,
    inputs: fields.inputs ?? {},
    signal,
    media: fields.media,
    llm: { apiKey: undefined, baseUrl: undefined, timeoutMs: 5_000, ...fields.llm },
    onText: fields.onText,
    checkpoint: fields.checkpoint ?? memoryCheckpoint(),
    wait: (ms) => sleep(ms, signal),
    reportUsage: fields.reportUsage,
  };
}
