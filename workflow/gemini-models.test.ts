import { describe, expect, it } from "vitest";
import shipped from "./gemini-models.json" with { type: "json" };
import { catalogModelFromListing, DEFAULT_IMAGE_MODEL, DEFAULT_TEXT_MODEL, FALLBACK_CATALOG, modelOffer, modelsByKind, retiredModelReplacement, type ModelCatalog } from "./gemini-models";

const live: ModelCatalog = {
  source: "live",
  fetchedAt: "2026-12-03T09:00:00.000Z",
  models: [
    { id: "gemini-3.5-flash-lite", label: "Gemini 3.5 Flash-Lite", kind: "text" },
    { id: "gemini-3.1-flash-image", label: "Nano Banana 2", kind: "image" },
  ],
};

describe("the shipped Gemini model data", () => {
  it("is dated and sourced, offers only current models, and maps every retired id to one of them", () => {
    expect(shipped.checkedAt).toBe("2026-12-07");
    expect(shipped.sources).toContain("https://ai.google.dev/gemini-api/docs/deprecations");
    const offered = FALLBACK_CATALOG.models.map((model) => model.id);
    expect(offered).toContain(DEFAULT_TEXT_MODEL);
    expect(FALLBACK_CATALOG.models.find((model) => model.id === DEFAULT_IMAGE_MODEL)?.kind).toBe("image");
    for (const id of offered) expect(id).not.toMatch(/^gemini-[12]\./);
    for (const [retired, replacement] of Object.entries(shipped.retired)) {
      expect(offered, `${retired} → ${replacement}`).toContain(replacement);
      expect(offered).not.toContain(retired);
    }
    expect(retiredModelReplacement("gemini-2.5-pro")).toBe("gemini-3.8-flash");
    expect(retiredModelReplacement("gemini-3.6-flash")).toBeUndefined();
    expect(retiredModelReplacement("toString")).toBeUndefined();
  });
});

describe("modelOffer", () => {
  it("offers what the list has, and names the retired map's replacement for a retired id", () => {
    expect(modelOffer("gemini-3.5-flash-lite", live)).toMatchObject({ status: "offered" });
    expect(modelOffer("gemini-2.5-flash", live)).toMatchObject({ status: "unavailable", replacement: "gemini-3.5-flash-lite" });
  });

  it("with a live list, calls any unlisted id unavailable, naming a listed model of the kind", () => {
    expect(modelOffer("gemini-2.5-pro", live)).toMatchObject({ status: "unavailable", replacement: "gemini-3.5-flash-lite" });
    expect(modelOffer("gemini-9-ultra", live)).toMatchObject({ status: "unavailable", replacement: "gemini-3.5-flash-lite" });
  });

  it("with the fallback list, leaves an id it does not know to Gemini (it may be newer than the list)", () => {
    expect(modelOffer("gemini-9-ultra", FALLBACK_CATALOG)).toEqual({ status: "unknown" });
    expect(modelOffer("gemini-2.5-flash", FALLBACK_CATALOG)).toMatchObject({ status: "unavailable", replacement: "gemini-3.5-flash-lite" });
  });

  it("groups a catalog by kind for a node's dropdown", () => {
    expect(modelsByKind(live, ["text", "image", "video"]).map((group) => [group.kind, group.models.map((model) => model.id)])).toEqual([
      ["text", ["gemini-3.5-flash-lite"]],
      ["image", ["gemini-3.1-flash-image"]],
    ]);
  });
});

describe("catalogModelFromListing", () => {
  it("reads a models.list entry: id without models/, display name, kind, token limits", () => {
    expect(
      catalogModelFromListing({
        name: "models/gemini-3.6-flash",
        displayName: "Gemini 3.6 Flash",
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedActions: ["generateContent", "countTokens"],
      }),
    ).toEqual({ id: "gemini-3.6-flash", label: "Gemini 3.6 Flash", kind: "text", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 });
    expect(catalogModelFromListing({ name: "models/gemini-3-pro-image", supportedActions: ["generateContent"] })).toMatchObject({ kind: "image", label: "gemini-3-pro-image" });
    // Nano Banana 2.1's id is the first image model id without "image" in it.
    expect(catalogModelFromListing({ name: "models/gemini-nano-banana-2.1", supportedActions: ["generateContent"] })).toMatchObject({ kind: "image" });
    expect(catalogModelFromListing({ name: "models/veo-4.0-generate", supportedActions: ["predictLongRunning"] })).toMatchObject({ kind: "video" });
  });

  it("leaves out what no node can use: embeddings, speech, live audio, other families", () => {
    for (const name of ["models/gemini-embedding-2", "models/gemini-3.1-flash-tts-preview", "models/gemini-3.1-flash-live-preview", "models/gemma-4-27b-it"]) {
      expect(catalogModelFromListing({ name, supportedActions: ["generateContent", "embedContent"] }), name).toBeNull();
    }
    expect(catalogModelFromListing({ name: "models/gemini-3.6-flash", supportedActions: ["countTokens"] })).toBeNull();
  });
});
