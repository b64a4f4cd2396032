import { describe, expect, it } from "vitest";
import { PREVIEW_MAX_CHARS } from "./run-progress";
import { previewOf, textLimitFor, truncateText } from "./progress";
import { media } from "./test-support";

describe("truncateText", () => {
  it("leaves text within the limit alone", () => {
    expect(truncateText("short", { chars: 10, bytes: 10 })).toBe("short");
    expect(truncateText("exactly10!", { chars: 10, bytes: 10 })).toBe("exactly10!");
  });

  it("cuts to the character limit, ellipsis included", () => {
    expect(truncateText("abcdefghijk", { chars: 10, bytes: 100 })).toBe("abcdefghi…");
  });

  it("counts bytes as JSON will store them, and never splits a character", () => {
    // "😀" is 4 bytes and 2 code units; the ellipsis is 3 bytes.
    expect(truncateText("😀😀😀", { chars: 100, bytes: 10 })).toBe("😀…");
    // A newline is written as two bytes (\n).
    expect(truncateText("\n\n\n\n\n\n", { chars: 100, bytes: 10 })).toBe("\n\n\n…");
    const cut = truncateText("é".repeat(300), { chars: 400, bytes: 101 });
    expect(Buffer.byteLength(JSON.stringify(cut)) - 2).toBeLessThanOrEqual(101);
  });
});

describe("textLimitFor", () => {
  it("gives small runs the full preview and shares a fixed budget across large ones", () => {
    expect(textLimitFor(5).chars).toBe(PREVIEW_MAX_CHARS);
    expect(textLimitFor(5).bytes).toBeGreaterThanOrEqual(PREVIEW_MAX_CHARS);
    expect(textLimitFor(500).bytes * 2 * 500).toBeLessThanOrEqual(100_000);
  });
});

describe("previewOf", () => {
  const limit = textLimitFor(1);

  it("shows text, numbers and media URLs", () => {
    expect(previewOf("run-llm", { output: "Hello" }, limit)).toBe("Hello");
    expect(previewOf("crop-image", { output: media("c") }, limit)).toBe("/assets/asset-c");
    expect(previewOf("text", { text: "" }, limit)).toBe("");
  });

  it("keeps long text within PREVIEW_MAX_CHARS", () => {
    expect(previewOf("run-llm", { output: "x".repeat(5000) }, limit)).toHaveLength(PREVIEW_MAX_CHARS);
  });
});
