import { describe, expect, it } from "vitest";
import { fieldText, numberFieldValue, paramErrors } from "./param-values";

describe("numberFieldValue", () => {
  it("stores numbers as numbers", () => {
    expect(numberFieldValue("12")).toBe(12);
    expect(numberFieldValue("12.5")).toBe(12.5);
    expect(numberFieldValue("0")).toBe(0);
  });

  it("keeps what is not (yet) a number as typed", () => {
    expect(numberFieldValue("")).toBe("");
    expect(numberFieldValue("abc")).toBe("abc");
  });
});

describe("fieldText", () => {
  it("shows strings and numbers, and nothing for the rest", () => {
    expect(fieldText("50%")).toBe("50%");
    expect(fieldText(0)).toBe("0");
    expect(fieldText(null)).toBe("");
    expect(fieldText(Number.NaN)).toBe("");
  });
});

describe("paramErrors", () => {
  it("has nothing to say about valid parameters", () => {
    expect(paramErrors("crop-image", { x_percent: 10, y_percent: 10, width_percent: 80, height_percent: 80 })).toEqual({});
    expect(paramErrors("extract-frame", { timestamp: "50%" })).toEqual({});
  });

  it("names the field by its label, as the schema phrases the problem", () => {
    expect(paramErrors("crop-image", { x_percent: 0, y_percent: 0, width_percent: 120, height_percent: 100 })).toEqual({
      width_percent: "Width % must be at most 100.",
    });
    expect(paramErrors("crop-image", { x_percent: 30, y_percent: 0, width_percent: 80, height_percent: 100 })).toEqual({
      width_percent: "Width % must be at most 70 when x_percent is 30, so the crop stays inside the image.",
    });
  });

  it("explains an emptied number field and a timestamp that is not a time", () => {
    expect(paramErrors("crop-image", { x_percent: "", y_percent: 0, width_percent: 100, height_percent: 100 }).x_percent).toBe(
      "X % must be a number (it is text).",
    );
    expect(paramErrors("extract-frame", { timestamp: "soon" }).timestamp).toMatch(/^Timestamp must be a number of seconds/);
  });

  it("names parameters that are not ports by their key", () => {
    expect(paramErrors("text", { text: "a".repeat(50_001) })).toEqual({ text: "Text must be at most 50000 characters long." });
  });
});
