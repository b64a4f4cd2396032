import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resizeImageNode } from "../nodes/resize-image";
import {
  createMediaFixtures,
  createTestMediaStore,
  executionContext,
  type MediaFixtures,
  type TestMediaStore,
} from "~test/media-fixtures";
import { probe } from "../ffmpeg";
import type { MediaValue } from "../values";
import { isMediaValue } from "../values";
import { resizeImage, resizePlan } from "./resize-image";

// The real probe, watched: an image stored with its size must not be probed again.
vi.mock(import("../ffmpeg"), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, probe: vi.fn(actual.probe) };
});

let fixtures: MediaFixtures;
let store: TestMediaStore;

beforeAll(async () => {
  [fixtures, store] = await Promise.all([createMediaFixtures(), createTestMediaStore()]);
});

afterAll(async () => {
  await Promise.all([fixtures?.remove(), store?.remove()]);
});

/** Resizes the 320×240 test PNG (or `path`) and reads the written file back with ffprobe. */
async function resize(params: Record<string, unknown>, path = fixtures.png, options?: { withFacts: boolean }) {
  const image = await store.add(path, "image", options);
  vi.mocked(probe).mockClear();
  const outputs = await resizeImage(
    executionContext({ params: resizeImageNode.params.parse(params), media: store, inputs: { image_url: image } }),
  );
  const probedSources = vi.mocked(probe).mock.calls.length;
  if (!isMediaValue(outputs.output)) throw new Error(`expected an image output, got ${JSON.stringify(outputs.output)}`);
  const output: MediaValue = outputs.output;
  const info = await probe(await store.localPath(output));
  // The size the executor gave with its file is the file's real size.
  expect({ width: output.width, height: output.height }).toEqual({ width: info.width, height: info.height });
  return { output, info, probedSources };
}

describe("resizePlan", () => {
  const source = { width: 320, height: 240 };

  it("follows the image's ratio when one side is empty", () => {
    expect(resizePlan({ width: 160, height: "", fit: "contain" }, source).output).toEqual({ width: 160, height: 120 });
    expect(resizePlan({ width: "", height: 100, fit: "cover" }, source).output).toEqual({ width: 133, height: 100 });
  });

  it("fits inside the box for contain and covers it for cover", () => {
    expect(resizePlan({ width: 200, height: 200, fit: "contain" }, source)).toEqual({
      output: { width: 200, height: 200 },
      scaled: { width: 200, height: 150 },
    });
    expect(resizePlan({ width: 200, height: 200, fit: "cover" }, source)).toEqual({
      output: { width: 200, height: 200 },
      scaled: { width: 267, height: 200 },
    });
  });

  it("refuses both sides empty", () => {
    expect(() => resizePlan({ width: "", height: "", fit: "fill" }, source)).toThrow(
      "Give a width, a height or both: with both empty there is no size to resize to.",
    );
  });
});

describe("resize-image executor", () => {
  it("keeps the ratio from the width alone, as a PNG, without probing an image stored with its size", async () => {
    const { output, info, probedSources } = await resize({ width: 160, height: "" });
    expect(info).toMatchObject({ width: 160, height: 120, codec: "png" });
    expect(output).toMatchObject({ kind: "image", mime: "image/png" });
    expect(probedSources).toBe(0);
    expect(store.saved).toContainEqual(output);
  });

  it("probes an image stored without its size, and keeps the ratio from the height alone", async () => {
    const { info, probedSources } = await resize({ width: "", height: 60 }, fixtures.jpeg, { withFacts: false });
    expect(probedSources).toBe(1);
    expect(info).toMatchObject({ width: 80, height: 60 });
  });

  it.each([
    ["contain", 200, 200],
    ["cover", 200, 200],
    ["fill", 100, 300],
  ] as const)("writes exactly the box asked for with fit %s (%i×%i)", async (fit, width, height) => {
    const { info } = await resize({ width, height, fit });
    expect(info).toMatchObject({ width, height });
  });

  it("writes a JPEG when asked, whatever the input was", async () => {
    const { output, info } = await resize({ width: 64, height: 64, fit: "contain", format: "jpeg" });
    expect(info).toMatchObject({ width: 64, height: 64, codec: "mjpeg" });
    expect(output.mime).toBe("image/jpeg");
  });

  it("writes a WebP when asked and ffmpeg has libwebp", async (context) => {
    if (!fixtures.webp) return context.skip();
    const { output, info } = await resize({ width: 50, height: 50, fit: "cover", format: "webp" }, fixtures.gif);
    expect(info).toMatchObject({ width: 50, height: 50, codec: "webp" });
    expect(output.mime).toBe("image/webp");
  });

  it("fails the node, writing nothing, when both sides are empty", async () => {
    const image = await store.add(fixtures.png, "image");
    const before = store.saved.length;
    const run = resizeImage(
      executionContext({ params: resizeImageNode.params.parse({ width: "", height: "" }), media: store, inputs: { image_url: image } }),
    );
    await expect(run).rejects.toMatchObject({ name: "NodeError", message: expect.stringMatching(/^Give a width, a height or both/) });
    expect(store.saved.length).toBe(before);
  });

  it("asks for an image when none is connected", async () => {
    const run = resizeImage(executionContext({ params: resizeImageNode.params.parse({}), media: store }));
    await expect(run).rejects.toMatchObject({ name: "NodeError", message: "Connect an image to this node." });
  });
});

describe("resize-image parameters", () => {
  it("accepts 1 to 8192 px and an empty side, and refuses anything else", () => {
    const parse = (width: unknown) => resizeImageNode.params.safeParse({ width }).success;
    expect([parse(1), parse(8192), parse("")]).toEqual([true, true, true]);
    expect([parse(0), parse(8193), parse(10.5), parse("wide")]).toEqual([false, false, false, false]);
  });
});
