import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trimVideoNode } from "../nodes/trim-video";
import {
  createMediaFixtures,
  createTestMediaStore,
  executionContext,
  type MediaFixtures,
  type TestMediaStore,
} from "~test/media-fixtures";
import { probe, runFfmpeg } from "../ffmpeg";
import type { MediaValue } from "../values";
import { isMediaValue } from "../values";
import { trimCut, trimVideo } from "./trim-video";

let fixtures: MediaFixtures;
let store: TestMediaStore;
let clip: MediaValue;

beforeAll(async () => {
  [fixtures, store] = await Promise.all([createMediaFixtures(), createTestMediaStore()]);
  clip = await store.add(fixtures.mp4, "video");
});

afterAll(async () => {
  await Promise.all([fixtures?.remove(), store?.remove()]);
});

async function trim(start: number | string, end: number | string, video = clip): Promise<MediaValue> {
  const outputs = await trimVideo(
    executionContext({ params: trimVideoNode.params.parse({ start, end }), media: store, inputs: { video_url: video } }),
  );
  if (!isMediaValue(outputs.output)) throw new Error(`expected a video output, got ${JSON.stringify(outputs.output)}`);
  return outputs.output;
}

/** The sha256 of one decoded frame, as raw RGB, taken `seconds` into the file. */
async function frameHash(path: string, seconds: number): Promise<string> {
  const target = join(fixtures.dir, `frame-${createHash("sha1").update(`${path}@${seconds}`).digest("hex")}.rgb`);
  await runFfmpeg(
    ["-y", "-ss", seconds.toFixed(3), "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", target],
    AbortSignal.timeout(10_000),
  );
  return createHash("sha256").update(await readFile(target)).digest("hex");
}

const seconds = (value: number) => ({ kind: "seconds", seconds: value }) as const;
const percent = (value: number) => ({ kind: "percent", percent: value }) as const;

describe("trimCut", () => {
  const mp4 = { durationSeconds: 10, mime: "video/mp4" };

  it("copies a cut from the start of an MP4 and encodes any other", () => {
    expect(trimCut({ start: seconds(0), end: percent(50) }, mp4)).toEqual({ start: 0, end: 5, mode: "copy" });
    expect(trimCut({ start: percent(10), end: seconds(6) }, mp4)).toEqual({ start: 1, end: 6, mode: "encode" });
    expect(trimCut({ start: seconds(0), end: seconds(4) }, { durationSeconds: 10, mime: "video/webm" }).mode).toBe("encode");
  });

  it("refuses an end at or before the start, naming both", () => {
    expect(() => trimCut({ start: seconds(4), end: seconds(4) }, mp4)).toThrow("End (4.0 s) must come after start (4.0 s).");
    expect(() => trimCut({ start: percent(60), end: seconds(2) }, mp4)).toThrow("End (2.0 s) must come after start (6.0 s).");
  });

  it("refuses an end beyond the video, and percentages when the length is unknown", () => {
    expect(() => trimCut({ start: seconds(0), end: seconds(12) }, mp4)).toThrow("End 12.0 s is beyond the end of the video (10.0 s).");
    expect(() => trimCut({ start: percent(10), end: seconds(2) }, { durationSeconds: null, mime: "video/mp4" })).toThrow(
      /a percentage cannot be used; give the start in seconds/,
    );
  });
});

describe("trim-video executor", () => {
  it("copies a cut from the start: the first second, frame for frame as in the source", async () => {
    const output = await trim(0, 1);
    expect(output).toMatchObject({ kind: "video", mime: "video/mp4", width: 160, height: 120, frameRate: 25 });
    const written = await probe(await store.localPath(output));
    // A copied cut ends on a packet boundary: within a couple of frames (0.04 s each).
    expectNear(written.durationSeconds, 1);
    // Copied packets decode to exactly the source's pixels; an encode would change them.
    expect(await frameHash(await store.localPath(output), 0.5)).toBe(await frameHash(fixtures.mp4, 0.5));
  });

  it("encodes a cut from the middle, starting at the frame asked for", async () => {
    const output = await trim("25%", 1.5);
    const path = await store.localPath(output);
    const written = await probe(path);
    expect(written).toMatchObject({ width: 160, height: 120, codec: "h264" });
    expectNear(written.durationSeconds, 1);
    expectNear(output.durationSeconds, 1);
    // It begins half a second in, not with the source's first picture.
    expect(await frameHash(path, 0)).not.toBe(await frameHash(fixtures.mp4, 0));
  });

  it("keeps the sound of a video that has it when encoding", async () => {
    const withSound = join(fixtures.dir, "with-sound.mp4");
    await runFfmpeg(
      [
        "-y",
        ...["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"],
        ...["-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", withSound],
      ],
      AbortSignal.timeout(20_000),
    );
    const output = await trim(0.5, "100%", await store.add(withSound, "video"));
    const streams = await audioStreams(await store.localPath(output));
    expect(streams).toBe(1);
    expectNear(output.durationSeconds, 1.5);
  });

  it("fails the node, writing nothing, when the end is not after the start", async () => {
    const before = store.saved.length;
    await expect(trim("75%", 1)).rejects.toMatchObject({
      name: "NodeError",
      message: "End (1.0 s) must come after start (1.5 s).",
      retryable: false,
    });
    expect(store.saved.length).toBe(before);
  });

  it("asks for a video when none is connected", async () => {
    const run = trimVideo(executionContext({ params: trimVideoNode.params.parse({}), media: store }));
    await expect(run).rejects.toMatchObject({ name: "NodeError", message: "Connect a video to this node." });
  });
});

/** Within 0.1 s, a few frames of these 25 fps clips. */
function expectNear(actual: number | null | undefined, seconds: number): void {
  expect(Math.abs((actual ?? Number.NaN) - seconds), `duration ${actual} s, expected about ${seconds} s`).toBeLessThanOrEqual(0.1);
}

/** How many audio streams a file has. */
async function audioStreams(path: string): Promise<number> {
  const target = `${path}.audio.txt`;
  // ffmpeg with -map 0:a fails when there is none; counting by trying each index keeps to the helpers.
  let count = 0;
  for (;;) {
    const ok = await runFfmpeg(["-y", "-i", path, "-map", `0:a:${count}`, "-t", "0.01", "-f", "null", target], AbortSignal.timeout(10_000)).then(
      () => true,
      () => false,
    );
    if (!ok) return count;
    count++;
  }
}
