import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concatVideosNode } from "../nodes/concat-videos";
import {
  createMediaFixtures,
  createTestMediaStore,
  executionContext,
  type MediaFixtures,
  type TestMediaStore,
} from "~test/media-fixtures";
import { hasAudio, probe, runFfmpeg } from "../ffmpeg";
import type { MediaValue } from "../values";
import { concatVideos } from "./concat-videos";
import { isMediaValue } from "../values";

let fixtures: MediaFixtures;
let store: TestMediaStore;
/** 2 s, 160×120, 25 fps, no sound. */
let silent: MediaValue;
/** 1 s, 320×180, 30 fps, with a tone. */
let wideWithSound: MediaValue;

beforeAll(async () => {
  [fixtures, store] = await Promise.all([createMediaFixtures(), createTestMediaStore()]);
  const wide = join(fixtures.dir, "wide-with-sound.mp4");
  await runFfmpeg(
    [
      "-y",
      ...["-f", "lavfi", "-i", "testsrc=size=320x180:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"],
      ...["-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", wide],
    ],
    AbortSignal.timeout(20_000),
  );
  [silent, wideWithSound] = await Promise.all([store.add(fixtures.mp4, "video"), store.add(wide, "video")]);
});

afterAll(async () => {
  await Promise.all([fixtures?.remove(), store?.remove()]);
});

async function concat(videos: MediaValue[]) {
  const outputs = await concatVideos(
    executionContext({ params: concatVideosNode.params.parse({}), media: store, inputs: { videos } }),
  );
  if (!isMediaValue(outputs.output)) throw new Error(`expected a video output, got ${JSON.stringify(outputs.output)}`);
  const path = await store.localPath(outputs.output);
  return { output: outputs.output, written: await probe(path), sound: await hasAudio(path) };
}

/** Within 0.15 s: each joined clip may gain or lose a frame or an audio packet at its edges. */
function expectNear(actual: number | null | undefined, seconds: number): void {
  expect(Math.abs((actual ?? Number.NaN) - seconds), `duration ${actual} s, expected about ${seconds} s`).toBeLessThanOrEqual(0.15);
}

describe("concat-videos executor", () => {
  it("joins clips of different sizes and rates at the first clip's, lasting as long as both", async () => {
    const { output, written, sound } = await concat([silent, wideWithSound]);
    expect(written).toMatchObject({ width: 160, height: 120, codec: "h264" });
    expect(written.frameRate).toBeCloseTo(25, 3);
    expectNear(written.durationSeconds, 3);
    expect(output).toMatchObject({ kind: "video", mime: "video/mp4", width: 160, height: 120 });
    expectNear(output.durationSeconds, 3);
    // The second clip has sound, so the first adds silence for its length.
    expect(sound).toBe(true);
  });

  it("takes the first clip's picture whichever it is: the order of the connections counts", async () => {
    const { written } = await concat([wideWithSound, silent, wideWithSound]);
    expect(written).toMatchObject({ width: 320, height: 180 });
    expect(written.frameRate).toBeCloseTo(30, 3);
    expectNear(written.durationSeconds, 4);
  });

  it("writes no sound track when no clip has sound", async () => {
    const { written, sound } = await concat([silent, silent]);
    expectNear(written.durationSeconds, 4);
    expect(sound).toBe(false);
  });

  it("asks for videos when none is connected", async () => {
    const run = concatVideos(executionContext({ params: {}, media: store, inputs: { videos: [] } }));
    await expect(run).rejects.toMatchObject({ name: "NodeError", message: "Connect one or more videos to this node." });
  });
});
