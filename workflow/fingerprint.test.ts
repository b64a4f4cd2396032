import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprint } from "./fingerprint";
import { NODE_DEFINITIONS } from "./nodes/registry";
import { media } from "./test-support";

describe("fingerprint", () => {
  const params = { x_percent: 10, y_percent: 10, width_percent: 80, height_percent: 80 };
  const inputs = { image_url: media("photo"), x_percent: 10 };

  it("is a sha256 hex digest", () => {
    expect(fingerprint("crop-image", NODE_DEFINITIONS["crop-image"].executorVersion, params, inputs)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on key order, at any depth", () => {
    const reordered = { height_percent: 80, width_percent: 80, y_percent: 10, x_percent: 10 };
    const photo = media("photo");
    const reorderedPhoto = { sha256: photo.sha256, url: photo.url, mime: photo.mime, assetId: photo.assetId, kind: photo.kind };
    expect(fingerprint("crop-image", 1, reordered, { x_percent: 10, image_url: reorderedPhoto })).toBe(
      fingerprint("crop-image", 1, params, inputs),
    );
  });

  it("counts media by content, not by asset id or URL", () => {
    const sameBytes = { ...media("photo"), assetId: "another-upload", url: "/assets/another-upload" };
    expect(fingerprint("crop-image", 1, params, { image_url: sameBytes })).toBe(
      fingerprint("crop-image", 1, params, { image_url: media("photo") }),
    );
    expect(fingerprint("crop-image", 1, params, { image_url: media("photo", "image", "other-sha") })).not.toBe(
      fingerprint("crop-image", 1, params, { image_url: media("photo") }),
    );
  });

  it("changes with the parameters, the type and the type's version", () => {
    const base = fingerprint("crop-image", 1, params, inputs);
    expect(fingerprint("crop-image", 1, { ...params, x_percent: 11 }, inputs)).not.toBe(base);
    expect(fingerprint("crop-image", 2, params, inputs)).not.toBe(base);
    expect(fingerprint("extract-frame", 1, params, inputs)).not.toBe(base);
  });

  it("keeps the order of lists, such as an LLM's images", () => {
    expect(fingerprint("run-llm", 1, {}, { images: [media("a"), media("b")] })).not.toBe(
      fingerprint("run-llm", 1, {}, { images: [media("b"), media("a")] }),
    );
  });
});

describe("canonicalJson", () => {
  it("sorts keys, drops undefined fields and replaces media by its sha256", () => {
    expect(canonicalJson({ b: 1, a: [media("x"), undefined], c: undefined, d: { z: "z", y: null } })).toBe(
      '{"a":[{"media":"sha-x"},null],"b":1,"d":{"y":null,"z":"z"}}',
    );
  });
});
