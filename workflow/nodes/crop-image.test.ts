import { describe, expect, it } from "vitest";
import { cropImageNode } from "./crop-image";

describe("crop-image params", () => {
  it("defaults to the whole image", () => {
    expect(cropImageNode.params.parse({})).toEqual({
      x_percent: 0,
      y_percent: 0,
      width_percent: 100,
      height_percent: 100,
    });
  });

  it("accepts a crop that touches the right and bottom edges", () => {
    const result = cropImageNode.params.safeParse({ x_percent: 20, width_percent: 80, y_percent: 50, height_percent: 50 });
    expect(result.success).toBe(true);
  });

  it("rejects a crop that would extend past the right edge, saying how wide it may be", () => {
    const result = cropImageNode.params.safeParse({ x_percent: 30, width_percent: 80 });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["width_percent"],
        message: "must be at most 70 when x_percent is 30, so the crop stays inside the image",
      }),
    ]);
  });

  it("rejects a crop that would extend past the bottom edge", () => {
    const result = cropImageNode.params.safeParse({ y_percent: 60, height_percent: 50 });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["height_percent"]]);
  });

  it("reports a field out of range once, without also reporting the sum", () => {
    const result = cropImageNode.params.safeParse({ width_percent: 120 });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["width_percent"]]);
    expect(result.error?.issues[0].code).toBe("too_big");
  });

  it("rejects values outside 0–100", () => {
    expect(cropImageNode.params.safeParse({ x_percent: -1 }).success).toBe(false);
    expect(cropImageNode.params.safeParse({ height_percent: 101 }).success).toBe(false);
  });
});
