import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cropImageNode } from "../nodes/crop-image";
import {
  createMediaFixtures,
  createTestMediaStore,
  executionContext,
  type MediaFixtures,
  type TestMediaStore,
} from "~test/media-fixtures";
import { probe, runFfmpeg } from "../ffmpeg";
import type { MediaValue, NodeOutputs } from "../values";
import { cropImage, cropRectangle } from "./crop-image";
import { isMediaValue } from "../values";

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

function savedImage(outputs: NodeOutputs): MediaValue {
  const output = outputs.output;
  if (!isMediaValue(output)) throw new Error(`expected a media output, got ${JSON.stringify(output)}`);
  return output;
}

async function crop(path: string, params: Record<string, number>, options?: { withFacts: boolean }) {
  const image = await store.add(path, "image", options);
  vi.mocked(probe).mockClear();
  const outputs = await cropImage(
    executionContext({ params: cropImageNode.params.parse(params), media: store, inputs: { image_url: image } }),
  );
  const probedSources = vi.mocked(probe).mock.calls.length;
  const output = savedImage(outputs);
  const info = await probe(await store.localPath(output));
  // The size the executor gave with its file is the file's real size.
  expect({ width: output.width, height: output.height }).toEqual({ width: info.width, height: info.height });
  return { output, info, probedSources };
}

const CENTER_80 = { x_percent: 10, y_percent: 10, width_percent: 80, height_percent: 80 };

describe("cropRectangle", () => {
  it("turns percentages into pixels of the image", () => {
    expect(cropRectangle(CENTER_80, { width: 320, height: 240 })).toEqual({ x: 32, y: 24, width: 256, height: 192 });
  });

  it("rounds each edge, so crops meeting in percent meet in pixels", () => {
    const left = cropRectangle({ x_percent: 0, y_percent: 0, width_percent: 33.3, height_percent: 100 }, { width: 101, height: 10 });
    const right = cropRectangle({ x_percent: 33.3, y_percent: 0, width_percent: 66.7, height_percent: 100 }, { width: 101, height: 10 });
    expect(left.x + left.width).toBe(right.x);
    expect(right.x + right.width).toBe(101);
  });

  it("keeps at least one pixel, inside the image", () => {
    expect(cropRectangle({ x_percent: 100, y_percent: 50, width_percent: 0, height_percent: 0 }, { width: 320, height: 240 })).toEqual({
      x: 319,
      y: 120,
      width: 1,
      height: 1,
    });
  });
});

describe("crop-image executor", () => {
  it("crops the center 80% of a PNG to 256×192 and keeps it a PNG", async () => {
    const { output, info } = await crop(fixtures.png, CENTER_80);
    expect(info).toMatchObject({ width: 256, height: 192, codec: "png" });
    expect(output).toMatchObject({ kind: "image", mime: "image/png" });
    expect(store.saved).toContainEqual(output);
  });

  it("uses the size stored with the image instead of probing it", async () => {
    const { output, probedSources } = await crop(fixtures.png, CENTER_80);
    expect(probedSources).toBe(0);
    expect(output).toMatchObject({ width: 256, height: 192 });
  });

  it("probes an image stored without its size, and crops it the same", async () => {
    const [known, unknown] = [await crop(fixtures.jpeg, CENTER_80), await crop(fixtures.jpeg, CENTER_80, { withFacts: false })];
    expect(unknown.probedSources).toBe(1);
    expect(unknown.output.sha256).toBe(known.output.sha256);
  });

  it("crops the part of the image the percentages name", async () => {
    const halves = join(fixtures.dir, "red-blue.png");
    await runFfmpeg(
      ["-y", "-f", "lavfi", "-i", "color=c=red:s=100x50[a];color=c=blue:s=100x50[b];[a][b]hstack", "-frames:v", "1", halves],
      AbortSignal.timeout(10_000),
    );
    const { output } = await crop(halves, { x_percent: 50, width_percent: 50 });
    // Blue, give or take YUV rounding; any red column left over would show.
    const [red, green, blue] = await averageColor(await store.localPath(output));
    expect({ red, green }).toEqual({ red: 0, green: 0 });
    expect(blue).toBeGreaterThan(250);
  });

  it("keeps a JPEG a JPEG, at the exact odd size asked for despite 4:2:0 chroma", async () => {
    const { output, info } = await crop(fixtures.jpeg, { width_percent: 33.3, height_percent: 50.5 });
    expect(info).toMatchObject({ width: 107, height: 121, codec: "mjpeg" });
    expect(output.mime).toBe("image/jpeg");
  });

  it("writes a GIF's first frame as a PNG", async () => {
    const { output, info } = await crop(fixtures.gif, CENTER_80);
    expect(info).toMatchObject({ width: 256, height: 192, codec: "png" });
    expect(output.mime).toBe("image/png");
  });

  it("keeps a WebP a WebP when ffmpeg has libwebp", async (context) => {
    if (!fixtures.webp) return context.skip();
    const { output, info } = await crop(fixtures.webp, { width_percent: 1, height_percent: 1 });
    expect(info).toMatchObject({ width: 3, height: 2, codec: "webp" });
    expect(output.mime).toBe("image/webp");
  });

  it("refuses a crop past the right edge, naming the numbers, without writing anything", async () => {
    const image = await store.add(fixtures.png, "image");
    const before = store.saved.length;
    const run = cropImage(
      executionContext({
        params: { x_percent: 30, y_percent: 0, width_percent: 80, height_percent: 100 },
        media: store,
        inputs: { image_url: image },
      }),
    );
    await expect(run).rejects.toMatchObject({
      name: "NodeError",
      message: "The crop goes past the right edge: x 30% + width 80% = 110%, more than 100%.",
    });
    expect(store.saved.length).toBe(before);
  });

  it("refuses a crop past the bottom edge", async () => {
    const image = await store.add(fixtures.png, "image");
    const run = cropImage(
      executionContext({
        params: { x_percent: 0, y_percent: 60.5, width_percent: 100, height_percent: 40 },
        media: store,
        inputs: { image_url: image },
      }),
    );
    await expect(run).rejects.toMatchObject({
      name: "NodeError",
      message: "The crop goes past the bottom edge: y 60.5% + height 40% = 100.5%, more than 100%.",
    });
  });

  it("asks for an image when none is connected", async () => {
    const run = cropImage(executionContext({ params: cropImageNode.params.parse({}), media: store }));
    await expect(run).rejects.toMatchObject({ name: "NodeError", message: "Connect an image to this node." });
  });

  it("reports a file ffmpeg cannot read as a node error", async () => {
    const notAnImage = join(fixtures.dir, "notes.png");
    await writeFile(notAnImage, "just text");
    // Uploads are probed, so only a value stored before sizes were recorded can get here.
    const image = await store.add(notAnImage, "image", { withFacts: false });
    const run = cropImage(executionContext({ params: cropImageNode.params.parse({}), media: store, inputs: { image_url: image } }));
    await expect(run).rejects.toMatchObject({ name: "NodeError", message: expect.stringMatching(/^Could not read the file as an image or video: /) });
  });
});

/** The image scaled down to one pixel, as [r, g, b]. */
async function averageColor(path: string): Promise<number[]> {
  const pixel = `${path}.rgb`;
  await runFfmpeg(["-y", "-i", path, "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", pixel], AbortSignal.timeout(10_000));
  return [...(await readFile(pixel))];
}
