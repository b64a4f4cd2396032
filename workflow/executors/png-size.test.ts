import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMediaFixtures, type MediaFixtures } from "~test/media-fixtures";
import { pngSize, readPngSize } from "./png-size";

let fixtures: MediaFixtures;

beforeAll(async () => {
  fixtures = await createMediaFixtures();
});

afterAll(async () => {
  await fixtures?.remove();
});

describe("pngSize", () => {
  it("reads the width and height from a PNG's header", async () => {
    expect(pngSize(await readFile(fixtures.png))).toEqual({ width: 320, height: 240 });
  });

  it("answers null for other formats and for too few bytes", async () => {
    expect(pngSize(await readFile(fixtures.jpeg))).toBeNull();
    expect(pngSize((await readFile(fixtures.png)).subarray(0, 23))).toBeNull();
    expect(pngSize(Buffer.alloc(0))).toBeNull();
  });
});

describe("readPngSize", () => {
  it("reads a PNG file's size, and null when the file is missing or empty", async () => {
    const empty = join(fixtures.dir, "empty.png");
    await writeFile(empty, "");
    expect(await readPngSize(fixtures.png)).toEqual({ width: 320, height: 240 });
    expect(await readPngSize(join(fixtures.dir, "missing.png"))).toBeNull();
    expect(await readPngSize(empty)).toBeNull();
  });
});
