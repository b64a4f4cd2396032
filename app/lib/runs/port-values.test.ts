import { describe, expect, it } from "vitest";
import { displayValue } from "./port-values";

const image = { kind: "image", assetId: "a1", url: "/files/a1", mime: "image/png", sha256: "00" };

describe("displayValue", () => {
  it("shows text and numbers as text, media by URL, and many values as a list", () => {
    expect(displayValue("Hello")).toEqual({ kind: "text", text: "Hello" });
    expect(displayValue(42)).toEqual({ kind: "text", text: "42" });
    expect(displayValue(image)).toEqual({ kind: "image", url: "/files/a1" });
    expect(displayValue({ ...image, kind: "video" })).toEqual({ kind: "video", url: "/files/a1" });
    expect(displayValue([image, "x"])).toEqual({ kind: "list", items: [{ kind: "image", url: "/files/a1" }, { kind: "text", text: "x" }] });
  });

  it("shows absent values as empty and anything unexpected as JSON", () => {
    expect(displayValue(undefined)).toEqual({ kind: "empty" });
    expect(displayValue([])).toEqual({ kind: "empty" });
    expect(displayValue({ odd: true })).toEqual({ kind: "text", text: '{"odd":true}' });
  });
});
