import { describe, expect, it } from "vitest";
import { FALLBACK_CATALOG } from "../gemini-models";
import { generateImageNode } from "./generate-image";
import { defaultParams } from "./registry";

describe("generate-image parameters", () => {
  it("default to a current image model of the shipped list, a square image and an empty prompt", () => {
    const params = defaultParams("generate-image");
    expect(params).toEqual({ model: expect.any(String), aspect_ratio: "1:1", prompt: "" });
    expect(FALLBACK_CATALOG.models.find((model) => model.id === params.model)?.kind).toBe("image");
  });

  it("take the five aspect ratios and refuse others", () => {
    for (const aspect_ratio of ["1:1", "16:9", "9:16", "4:3", "3:4"]) {
      expect(generateImageNode.params.safeParse({ aspect_ratio }).success).toBe(true);
    }
    const refused = generateImageNode.params.safeParse({ aspect_ratio: "2:1" });
    expect(refused.success).toBe(false);
    expect(generateImageNode.params.safeParse({ model: "" }).success).toBe(false);
    expect(generateImageNode.params.safeParse({ prompt: "x".repeat(50_001) }).success).toBe(false);
  });

  it("has a required prompt that can be typed, many reference images, and one image output", () => {
    expect(generateImageNode.inputs).toEqual([
      expect.objectContaining({ id: "prompt", type: "text", required: true, inline: true }),
      expect.objectContaining({ id: "images", type: "image", multiple: true }),
    ]);
    expect(generateImageNode.outputs).toEqual([expect.objectContaining({ id: "image", type: "image" })]);
  });
});
