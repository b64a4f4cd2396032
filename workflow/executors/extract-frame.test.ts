import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractFrameNode } from "../../app/lib/nodes/extract-frame";
import {
  createMediaFixtures,
  createTestMediaStore,
  executionContext,
  type MediaFixtures,
  type TestMediaStore,
} from "../../test/media-fixtures";
import { probe } from "../ffmpeg";
import type { MediaValue } from "../types";
import { extractFrame, formatSeconds } from "./extract-frame";
import { isMediaValue } from "./media-input";

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

async function frameAt(timestamp: number | string): Promise<MediaValue> {
  const outputs = await extractFrame(
    executionContext({ params: extractFrameNode.params.parse({ timestamp }), media: store, inputs: { video_url: clip } }),
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
