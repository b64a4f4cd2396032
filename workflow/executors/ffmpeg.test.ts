import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import ffmpeg from "fluent-ffmpeg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMediaFixtures, type MediaFixtures } from "~test/media-fixtures";
import { type FfmpegJob, ffmpegCommand, ffmpegPaths, probe, runFfmpeg } from "../ffmpeg";

let fixtures: MediaFixtures;

beforeAll(async () => {
  fixtures = await createMediaFixtures();
});

afterAll(async () => {
  await fixtures?.remove();
});

describe("ffmpegPaths", () => {
  it("prefers FFMPEG_PATH and FFPROBE_PATH, as Trigger.dev's ffmpeg extension sets them", () => {
    expect(ffmpegPaths({ FFMPEG_PATH: "/usr/bin/ffmpeg", FFPROBE_PATH: "/usr/bin/ffprobe" })).toEqual({
      ffmpeg: "/usr/bin/ffmpeg",
      ffprobe: "/usr/bin/ffprobe",
    });
  });

  it("falls back to the binaries shipped on npm", () => {
    const paths = ffmpegPaths({ FFMPEG_PATH: " " });
    expect(paths.ffmpeg).toMatch(/@ffmpeg-installer/);
    expect(paths.ffprobe).toMatch(/@ffprobe-installer/);
    expect(existsSync(paths.ffmpeg) && existsSync(paths.ffprobe)).toBe(true);
  });
});

describe("probe", () => {
  it("reads a video's size, duration, frame rate and codec", async () => {
    expect(await probe(fixtures.mp4)).toEqual({
      width: 160,
      height: 120,
      durationSeconds: 2,
      frameRate: 25,
      codec: "h264",
      format: expect.stringContaining("mp4"),
    });
  });

  it("reads an image's size and codec", async () => {
    expect(await probe(fixtures.png)).toMatchObject({ width: 320, height: 240, codec: "png" });
    expect(await probe(fixtures.jpeg)).toMatchObject({ width: 320, height: 240, codec: "mjpeg" });
  });

  it("explains a missing file", async () => {
    await expect(probe(`${fixtures.dir}/missing.mp4`)).rejects.toMatchObject({
      name: "NodeError",
      message: expect.stringContaining("No such file or directory"),
    });
  });
});

/** Processes whose command line contains `marker` (Linux /proc). */
async function processesMentioning(marker: string): Promise<number[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const matches = await Promise.all(
    pids.map(async (pid) => {
      const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
      return commandLine.includes(marker) ? Number(pid) : null;
    }),
  );
  return matches.filter((pid) => pid !== null);
}

/** Real-time encoding (-re) of a minute of test pattern: runs until killed. */
function minuteLongJobs(marker: string): Record<string, FfmpegJob> {
  return {
    "argument list": ["-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "60", "-f", "null", marker],
    "fluent command": ffmpegCommand("testsrc=size=320x240:rate=25")
      .inputFormat("lavfi")
      .inputOptions("-re")
      .outputOptions("-t", "60", "-f", "null")
      .output(marker),
  };
}

describe("runFfmpeg", () => {
  for (const kind of ["argument list", "fluent command"]) {
    it(`kills ffmpeg and rejects with an AbortError when aborted (${kind})`, async () => {
      const marker = `weft-abort-${randomUUID()}`;
      const controller = new AbortController();
      const run = runFfmpeg(minuteLongJobs(marker)[kind], controller.signal);
      await expect.poll(() => processesMentioning(marker), { timeout: 5_000 }).toHaveLength(1);

      const abortedAt = performance.now();
      controller.abort();
      await expect(run).rejects.toMatchObject({ name: "AbortError" });
      expect(performance.now() - abortedAt).toBeLessThan(1_000);
      expect(await processesMentioning(marker)).toEqual([]);
    });
  }

  it("does not start ffmpeg when already aborted", async () => {
    const marker = `weft-abort-${randomUUID()}`;
    const run = runFfmpeg(minuteLongJobs(marker)["argument list"], AbortSignal.abort());
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(await processesMentioning(marker)).toEqual([]);
  });

  it("reports ffmpeg's reason for failing, for both kinds of job", async () => {
    const missing = `${fixtures.dir}/missing.png`;
    const signal = AbortSignal.timeout(10_000);
    const expected = { name: "NodeError", message: `ffmpeg failed: ${missing}: No such file or directory` };
    await expect(runFfmpeg(["-i", missing, `${fixtures.dir}/out.png`], signal)).rejects.toMatchObject(expected);
    await expect(runFfmpeg(ffmpegCommand(missing).output(`${fixtures.dir}/out.png`), signal)).rejects.toMatchObject(expected);
  });

  it("reports the cause, not its consequences, when a filter fails", async () => {
    const command = ffmpeg(fixtures.png)
      .inputOptions("-loglevel", "error")
      .videoFilters("crop=400:10")
      .output(`${fixtures.dir}/too-wide.png`);
    await expect(runFfmpeg(command, AbortSignal.timeout(10_000))).rejects.toMatchObject({
      message: expect.stringMatching(/^ffmpeg failed: Invalid too big or non positive size for width '400'/),
    });
  });
});
