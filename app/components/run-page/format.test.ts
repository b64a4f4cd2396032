import { describe, expect, it } from "vitest";
import { formatUtc } from "./format";

describe("formatUtc", () => {
  it("writes the instant in UTC to the minute", () => {
    expect(formatUtc(new Date("2026-11-27T04:21:33.120Z"))).toBe("2026-11-27 04:21 UTC");
  });
});
