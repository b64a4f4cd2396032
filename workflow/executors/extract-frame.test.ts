import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { extractFrameNode } from "../nodes/extract-frame";
import {
  createMediaFixtures,
  createTestMediaStore,
  executionContext,
  type MediaFixtures,
  type TestMediaStore,
} from "~test/media-fixtures";
import { probe, runFfmpeg } from "../ffmpeg";
import type { MediaValue } from "../values";
import { extractFrame, formatSeconds } from "./extract-frame";
import { isMediaValue } from "../values";

// The real probe, watched: a video stored with its duration and frame rate must not be probed again.
vi.mock(import("../ffmpeg"), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, probe: vi.fn(actual.probe) };
});

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

async function frameAt(timestamp: number | string, video = clip): Promise<MediaValue> {
  const outputs = await extractFrame(
    executionContext({ params: extractFrameNode.params.parse({ timestamp }), media: store, inputs: { video_url: video } }),
  );
  if (!isMediaValue(outputs.output)) throw new Error(`expected an image output, got ${JSON.stringify(outputs.output)}`);
  return outputs.output;
}

describe("formatSeconds", () => {
  it("shows one to three decimals", () => {
    expect(formatSeconds(12)).toBe("12.0");
    expect(formatSeconds(8.04)).toBe("8.04");
    expect(formatSeconds(2.0004)).toBe("2.0");
    expect(formatSeconds(0.1234)).toBe("0.123");
  });
});

describe("extract-frame executor", () => {
  it("takes a frame at a time in seconds as a PNG the size of the video", async () => {
    const frame = await frameAt(1);
    expect(frame).toMatchObject({ kind: "image", mime: "image/png" });
    expect(await probe(await store.localPath(frame))).toMatchObject({ width: 160, height: 120, codec: "png" });
  });

  it("uses the duration and frame rate stored with the video instead of probing it", async () => {
    vi.mocked(probe).mockClear();
    const frame = await frameAt("50%");
    expect(probe).not.toHaveBeenCalled();
    // The size it gave with the frame is the frame's own.
    expect(frame).toMatchObject({ width: 160, height: 120 });
  });

  it("probes a video stored without them, and takes the same frames", async () => {
    const unknown = await store.add(fixtures.mp4, "video", { withFacts: false });
    vi.mocked(probe).mockClear();
    const [half, end] = [await frameAt("50%", unknown), await frameAt("100%", unknown)];
    expect(probe).toHaveBeenCalledTimes(2);
    expect(half.sha256).toBe((await frameAt(1)).sha256);
    expect(end.sha256).toBe((await frameAt(2)).sha256);
    await expect(frameAt(12, unknown)).rejects.toThrow("Timestamp 12.0 s is beyond the end of the video (2.0 s).");
  });

  it("gives the size of the frame as written: a video recorded sideways gives a portrait frame", async () => {
    const sideways = join(fixtures.dir, "sideways.mp4");
    await runFfmpeg(["-y", "-i", fixtures.mp4, "-c", "copy", "-metadata:s:v", "rotate=90", sideways], AbortSignal.timeout(10_000));
    const frame = await frameAt(1, await store.add(sideways, "video"));
    const written = await probe(await store.localPath(frame));
    expect({ width: frame.width, height: frame.height }).toEqual({ width: written.width, height: written.height });
    expect(written).toMatchObject({ width: 120, height: 160 });
  });

  it("reads a percentage of the duration: 50% of a 2 s clip is the frame at 1 s", async () => {
    const [half, oneSecond, start] = await Promise.all([frameAt("50%"), frameAt(1), frameAt(0)]);
    expect(half.sha256).toBe(oneSecond.sha256);
    expect(half.sha256).not.toBe(start.sha256);
  });

  it("accepts seconds as text, as a Text node would send them", async () => {
    const [text, number] = await Promise.all([frameAt("0.5"), frameAt(0.5)]);
    expect(text.sha256).toBe(number.sha256);
  });

  it("gives the last frame at the very end of the video", async () => {
    const [end, hundredPercent, nearEnd] = await Promise.all([frameAt(2), frameAt("100%"), frameAt(1.96)]);
    expect(end.sha256).toBe(nearEnd.sha256);
    expect(hundredPercent.sha256).toBe(nearEnd.sha256);
  });

  it("refuses a time beyond the end, naming both numbers, without writing anything", async () => {
    const before = store.saved.length;
    await expect(frameAt(12)).rejects.toMatchObject({
      name: "NodeError",
      message: "Timestamp 12.0 s is beyond the end of the video (2.0 s).",
      retryable: false,
    });
    await expect(frameAt(2.05)).rejects.toThrow("Timestamp 2.05 s is beyond the end of the video (2.0 s).");
    expect(store.saved.length).toBe(before);
  });

  it("asks for a video when none is connected", async () => {
    const run = extractFrame(executionContext({ params: extractFrameNode.params.parse({}), media: store }));
    await expect(run).rejects.toMatchObject({ name: "NodeError", message: "Connect a video to this node." });
  });
});
