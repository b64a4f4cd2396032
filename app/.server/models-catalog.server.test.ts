import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loader as modelsLoader } from "~/routes/api.models";
import { startGeminiStub, stubModel, type GeminiStub } from "~test/gemini-stub";
import { cookieAuth, jsonRequest, respond, TEST_ORIGIN } from "~test/route-helpers";
import { createTestUser } from "~test/users";
import { FALLBACK_CATALOG, ModelCatalogSchema } from "~workflow/gemini-models";
import { db } from "./db.server";

// The model catalog against the Gemini stub, through the real SDK (models.list and its pager),
// the real database and the real route. Each test loads the module afresh with its own key, so
// the environment it reads (read once per module) is the test's.

let stub: GeminiStub;

beforeAll(async () => {
  stub = await startGeminiStub({ maxPageSize: 3 });
});

afterEach(async () => {
  const catalog = await import("./models-catalog.server");
  catalog.stopModelCatalogRefresh();
  catalog.forgetModelCatalog();
  stub.reset();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

afterAll(async () => {
  await stub?.close();
});

/** The catalog module as the app would load it with this key (none: no GEMINI_API_KEY). */
async function catalogWith(apiKey: string | null, baseUrl = stub.baseUrl) {
  vi.resetModules();
  vi.stubEnv("GEMINI_API_KEY", apiKey ?? "");
  vi.stubEnv("GEMINI_BASE_URL", baseUrl);
  const catalog = await import("./models-catalog.server");
  catalog.forgetModelCatalog();
  return catalog;
}

const SHIPPED_IDS = FALLBACK_CATALOG.models.map((model) => model.id);

describe("the Gemini model catalog", () => {
  it("offers the shipped list, marked as the fallback and dated, without a key", async () => {
    const { getModelCatalog } = await catalogWith(null);

    const catalog = await getModelCatalog();

    expect(catalog).toEqual(FALLBACK_CATALOG);
    expect(catalog).toMatchObject({ source: "fallback", fetchedAt: "2026-12-07T00:00:00.000Z" });
    expect(stub.listRequests).toBe(0);
  });

  it("reads the key's models through every page of models.list, keeping those the nodes can use", async () => {
    stub.setModels([
      stubModel("gemini-4-flash", { displayName: "Gemini 4 Flash" }),
      stubModel("gemini-4-flash-image", { displayName: "Gemini 4 Flash Image" }),
      stubModel("veo-5.0-generate", { displayName: "Veo 5", methods: ["predictLongRunning"] }),
      stubModel("gemini-embedding-2", { methods: ["embedContent"] }),
      stubModel("gemini-4-flash-tts-preview"),
      stubModel("gemma-5-27b-it"),
      stubModel("gemini-4-pro-preview"),
    ]);
    const { getModelCatalog } = await catalogWith(`key-${randomUUID()}`);

    const catalog = await getModelCatalog();

    expect(catalog.source).toBe("live");
    expect(catalog.models).toEqual([
      { id: "gemini-4-flash", label: "Gemini 4 Flash", kind: "text", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
      { id: "gemini-4-flash-image", label: "Gemini 4 Flash Image", kind: "image", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
      { id: "veo-5.0-generate", label: "Veo 5", kind: "video", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
      { id: "gemini-4-pro-preview", label: "gemini-4-pro-preview", kind: "text", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
    ]);
    // Seven models, three a page.
    expect(stub.listRequests).toBe(3);
    // Asked once: the list in memory answers until it is a day old.
    await getModelCatalog();
    expect(stub.listRequests).toBe(3);
  });

  it("keeps the list in the database, so a fresh process has it without asking Gemini", async () => {
    const key = `key-${randomUUID()}`;
    const first = await (await catalogWith(key)).getModelCatalog();
    expect(first.models.map((model) => model.id)).toEqual(SHIPPED_IDS);
    expect(await db.modelCatalog.count({ where: { fetchedAt: new Date(first.fetchedAt) } })).toBeGreaterThanOrEqual(1);
    const requestsSoFar = stub.listRequests;

    // A new process (the module and its memory forgotten), and Gemini now unreachable.
    const later = await catalogWith(key);
    stub.setModels([]);
    const second = await later.getModelCatalog();

    expect(second).toEqual(first);
    expect(stub.listRequests).toBe(requestsSoFar);
  });

  it("reads the list again once it is a day old, answering with the old one meanwhile", async () => {
    const key = `key-${randomUUID()}`;
    const catalog = await catalogWith(key);
    const first = await catalog.getModelCatalog();
    stub.setModels([stubModel("gemini-4-flash")]);

    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + catalog.CATALOG_MAX_AGE_MS + 1);
    expect(await catalog.getModelCatalog()).toEqual(first);
    await vi.waitFor(async () => expect((await catalog.getModelCatalog()).models.map((model) => model.id)).toEqual(["gemini-4-flash"]));
  });

  it("falls back to the shipped list when Gemini fails, and says so", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    // An address where nothing listens: the SDK's request fails at once.
    const { getModelCatalog } = await catalogWith(`key-${randomUUID()}`, "http://127.0.0.1:9");

    expect(await getModelCatalog()).toEqual(FALLBACK_CATALOG);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Could not read Gemini's model list, offering the shipped list/));
  });
});

describe("GET /api/models", () => {
  it("answers the catalog to a signed-in user", async () => {
    stub.setModels([stubModel("gemini-4-flash", { displayName: "Gemini 4 Flash" })]);
    await catalogWith(`key-${randomUUID()}`);
    const { loader } = await import("~/routes/api.models");
    const request = jsonRequest("/api/models", "GET", await cookieAuth(await createTestUser("models")));

    const response = await respond(() => loader({ request, params: {}, context: {} }));

    expect(response.status).toBe(200);
    const body = ModelCatalogSchema.parse(await response.json());
    expect(body).toMatchObject({ source: "live", models: [{ id: "gemini-4-flash", label: "Gemini 4 Flash", kind: "text" }] });
    expect(Date.parse(body.fetchedAt)).not.toBeNaN();
  });

  it("answers 401 without a session", async () => {
    const request = jsonRequest("/api/models", "GET", { Origin: TEST_ORIGIN });
    expect((await respond(() => modelsLoader({ request, params: {}, context: {} }))).status).toBe(401);
  });
});
