import { describe, expect, it } from "vitest";
import { extractFrameNode, parseTimestamp } from "./extract-frame";

describe("parseTimestamp", () => {
  it("reads numbers as seconds", () => {
    expect(parseTimestamp(0)).toEqual({ kind: "seconds", seconds: 0 });
    expect(parseTimestamp(12.5)).toEqual({ kind: "seconds", seconds: 12.5 });
  });

  it("reads numeric text as seconds, since a Text node can feed the timestamp", () => {
    expect(parseTimestamp("1.5")).toEqual({ kind: "seconds", seconds: 1.5 });
    expect(parseTimestamp(" 3 ")).toEqual({ kind: "seconds", seconds: 3 });
  });

  it("reads percentages of the duration", () => {
    expect(parseTimestamp("50%")).toEqual({ kind: "percent", percent: 50 });
    expect(parseTimestamp("0%")).toEqual({ kind: "percent", percent: 0 });
    expect(parseTimestamp("100%")).toEqual({ kind: "percent", percent: 100 });
    expect(parseTimestamp("12.5 %")).toEqual({ kind: "percent", percent: 12.5 });
  });

  it("rejects values outside the video or that are not times", () => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY, "-2", "101%", "-5%", "%", "", "abc", "1.5s", "50%%", null, true, {}]) {
      expect(parseTimestamp(value), JSON.stringify(value)).toBeNull();
    }
  });
});

describe("extract-frame params", () => {
  it("defaults the timestamp to the first frame", () => {
    expect(extractFrameNode.params.parse({})).toEqual({ timestamp: 0 });
  });

  it("accepts seconds and percentages", () => {
    expect(extractFrameNode.params.safeParse({ timestamp: "50%" }).success).toBe(true);
    expect(extractFrameNode.params.safeParse({ timestamp: 4.2 }).success).toBe(true);
    expect(extractFrameNode.params.safeParse({ timestamp: "1.5" }).success).toBe(true);
  });

  it("rejects negative seconds and percentages above 100", () => {
    expect(extractFrameNode.params.safeParse({ timestamp: -1 }).success).toBe(false);
    expect(extractFrameNode.params.safeParse({ timestamp: "150%" }).success).toBe(false);
  });
});
