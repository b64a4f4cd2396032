import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMediaFixtures, type MediaFixtures } from "~test/media-fixtures";
import { configureFfmpeg, ffmpegCommand, ffmpegLoad, probe, runFfmpeg, TooManyPixelsError } from "./ffmpeg";

// The process-wide limits on ffmpeg and ffprobe. A file of its own: the peak count is per module
// instance, and vitest gives each test file a fresh one.

let fixtures: MediaFixtures;
const defaults = { ...ffmpegLoad().limits };

beforeAll(async () => {
  // From the start: the peak counts every process this module instance ran, fixtures included.
  configureFfmpeg({ maxProcesses: 2 });
  fixtures = await createMediaFixtures();
});

afterEach(() => configureFfmpeg(defaults));

afterAll(async () => {
  await fixtures?.remove();
});

describe("ffmpeg limits", () => {
  it("runs at most maxProcesses ffmpeg and ffprobe processes at once; the rest wait and then finish", async () => {
    const signal = new AbortController().signal;
    const jobs = [
      ...Array.from({ length: 3 }, () => probe(fixtures.png)),
      ...Array.from({ length: 3 }, (_, index) =>
        runFfmpeg(ffmpegCommand(fixtures.png).outputOptions("-frames:v", "1").output(`${fixtures.dir}/copy-${index}.png`), signal),
      ),
    ];
    const results = await Promise.all(jobs);
    expect(results.slice(0, 3)).toEqual(Array(3).fill(expect.objectContaining({ width: 320, height: 240 })));
    expect(ffmpegLoad().peak).toBe(2);
    expect(ffmpegLoad().running).toBe(0);
  });

  it("kills a process that runs past the timeout and says so", async () => {
    configureFfmpeg({ timeoutMs: 300 });
    // An hour of video rendered to nowhere: far longer than the timeout.
    const endless = ["-f", "lavfi", "-i", "testsrc=size=640x480:rate=25:duration=3600", "-f", "null", "-"];
    await expect(runFfmpeg(endless, new AbortController().signal)).rejects.toMatchObject({
      name: "NodeError",
      message: "ffmpeg took longer than 0.3 s and was stopped.",
    });
  });

  it("refuses to decode a picture over the pixel limit, naming its size", async () => {
    configureFfmpeg({ maxPixels: 320 * 240 - 1 });
    const error = await probe(fixtures.png).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TooManyPixelsError);
    expect(error).toMatchObject({ width: 320, height: 240, message: expect.stringContaining("320×240 pixels") });
    const crop = ffmpegCommand(fixtures.png).outputOptions("-frames:v", "1").output(`${fixtures.dir}/refused.png`);
    await expect(runFfmpeg(crop, new AbortController().signal)).rejects.toMatchObject({ name: "NodeError" });
    configureFfmpeg({ maxPixels: 320 * 240 });
    expect(await probe(fixtures.png)).toMatchObject({ width: 320, height: 240 });
  });
});
