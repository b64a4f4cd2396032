import { createHash } from "node:crypto";
import { GoogleGenAI } from "@google/genai";
import { z } from "zod";
import { CatalogModelSchema, catalogModelFromListing, FALLBACK_CATALOG, type CatalogModel, type ModelCatalog } from "~workflow/gemini-models";
import { db } from "./db.server";
import { env } from "./env.server";
import { remember } from "~/.server/remember.server";

/**
 * The Gemini models the app's key can use: read from Gemini's `models.list` through the SDK, kept
 * in memory and in the database (so a restart has a list before asking again), refreshed in the
 * background once a day, and the shipped list (workflow/gemini-models.json) when there is no key
 * or no answer yet. The same in the app and in Trigger.dev tasks, which read the database row.
 */

/** How old a list may be before it is read again. Google retires models with months of notice. */
export const CATALOG_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** After a failed read, how long the previous answer (or the shipped list) stands before trying again. */
const RETRY_AFTER_FAILURE_MS = 5 * 60 * 1000;
/** A request that needs the list waits at most this long for Gemini; later requests get the result. */
const LIST_TIMEOUT_MS = 10_000;
/** Gemini's largest page; a key sees a few dozen models. */
const PAGE_SIZE = 1000;

interface CachedCatalog {
  keyHash: string;
  catalog: ModelCatalog;
  /** When the list was last asked for (success or not), for the refresh schedule. */
  checkedAt: number;
}

// One per process (remember): Vite's dev reloads would otherwise forget the list and ask Gemini again.
const processCatalog = remember<{
  cached?: CachedCatalog;
  read?: Promise<ModelCatalog>;
  timer?: ReturnType<typeof setInterval>;
}>("model-catalog", () => ({}));

interface GeminiAccess {
  apiKey: string;
  baseUrl: string | undefined;
  keyHash: string;
}

function geminiAccess(): GeminiAccess | null {
  const config = env();
  const apiKey = config.GEMINI_API_KEY?.trim();
  if (!apiKey) return null;
  const keyHash = createHash("sha256").update(`${config.GEMINI_BASE_URL ?? ""}\n${apiKey}`).digest("hex");
  return { apiKey, baseUrl: config.GEMINI_BASE_URL, keyHash };
}

/**
 * The catalog to offer now. Without a key, the shipped list. With one: the list in memory while it
 * is fresh; otherwise the database's; when that is missing or stale too, Gemini is asked (a stale
 * list is answered at once and replaced in the background).
 */
export async function getModelCatalog(): Promise<ModelCatalog> {
  const access = geminiAccess();
  if (!access) return FALLBACK_CATALOG;
  const cached = processCatalog.cached;
  if (cached?.keyHash === access.keyHash) {
    const age = Date.now() - cached.checkedAt;
    const limit = cached.catalog.source === "live" ? CATALOG_MAX_AGE_MS : RETRY_AFTER_FAILURE_MS;
    if (age >= limit) void refreshModelCatalog().catch(() => undefined);
    return cached.catalog;
  }
  const stored = await readStoredCatalog(access.keyHash).catch((error: unknown) => {
    console.warn(`Could not read the stored Gemini model list: ${String(error)}`);
    return null;
  });
  if (stored) {
    processCatalog.cached = { keyHash: access.keyHash, catalog: stored.catalog, checkedAt: stored.fetchedAt };
    if (Date.now() - stored.fetchedAt >= CATALOG_MAX_AGE_MS) void refreshModelCatalog().catch(() => undefined);
    return stored.catalog;
  }
  return refreshModelCatalog();
}

/**
 * Asks Gemini for the key's models now (one request at a time per process), stores the answer,
 * and resolves with the catalog then in force: the new list, or on failure the previous one, or
 * the shipped list. Never rejects: a failure is logged and retried after a few minutes.
 */
export function refreshModelCatalog(): Promise<ModelCatalog> {
  processCatalog.read ??= (async () => {
    const access = geminiAccess();
    if (!access) return FALLBACK_CATALOG;
    try {
      const catalog = await listModels(access);
      processCatalog.cached = { keyHash: access.keyHash, catalog, checkedAt: Date.now() };
      await storeCatalog(access.keyHash, catalog).catch((error: unknown) =>
        console.warn(`Could not store the Gemini model list: ${String(error)}`),
      );
      return catalog;
    } catch (error) {
      console.warn(`Could not read Gemini's model list, offering ${describePrevious(access.keyHash)}: ${String(error)}`);
      const previous = processCatalog.cached?.keyHash === access.keyHash ? processCatalog.cached.catalog : null;
      const catalog = previous ?? FALLBACK_CATALOG;
      processCatalog.cached = { keyHash: access.keyHash, catalog, checkedAt: Date.now() };
      return catalog;
    }
  })().finally(() => {
    processCatalog.read = undefined;
  });
  return processCatalog.read;
}

function describePrevious(keyHash: string): string {
  const previous = processCatalog.cached;
  return previous?.keyHash === keyHash && previous.catalog.source === "live" ? `the list from ${previous.catalog.fetchedAt}` : "the shipped list";
}

async function listModels(access: GeminiAccess): Promise<ModelCatalog> {
  // vertexai: false keeps GOOGLE_GENAI_USE_VERTEXAI in the environment from rerouting calls.
  const ai = new GoogleGenAI({
    apiKey: access.apiKey,
    vertexai: false,
    httpOptions: access.baseUrl ? { baseUrl: access.baseUrl } : undefined,
  });
  const signal = AbortSignal.timeout(LIST_TIMEOUT_MS);
  const pager = await ai.models.list({ config: { pageSize: PAGE_SIZE, abortSignal: signal } });
  const models: CatalogModel[] = [];
  const seen = new Set<string>();
  for await (const listed of pager) {
    const model = catalogModelFromListing(listed);
    if (model && !seen.has(model.id)) {
      seen.add(model.id);
      models.push(model);
    }
  }
  if (models.length === 0) throw new Error("models.list named no model Weft can use");
  return { models, source: "live", fetchedAt: new Date().toISOString() };
}

const StoredModelsSchema = z.array(CatalogModelSchema);

async function readStoredCatalog(keyHash: string): Promise<{ catalog: ModelCatalog; fetchedAt: number } | null> {
  const row = await db.modelCatalog.findUnique({ where: { keyHash } });
  const models = row ? StoredModelsSchema.safeParse(row.models) : null;
  if (!row || !models?.success || models.data.length === 0) return null;
  return { catalog: { models: models.data, source: "live", fetchedAt: row.fetchedAt.toISOString() }, fetchedAt: row.fetchedAt.getTime() };
}

async function storeCatalog(keyHash: string, catalog: ModelCatalog): Promise<void> {
  const data = { models: catalog.models, fetchedAt: new Date(catalog.fetchedAt) };
  await db.modelCatalog.upsert({ where: { keyHash }, create: { keyHash, ...data }, update: data });
}

/** Reads the list now and then once a day while the app runs (server start-up calls this). */
export function startModelCatalogRefresh(): void {
  if (processCatalog.timer || !geminiAccess()) return;
  void getModelCatalog().catch((error: unknown) => console.warn(`Could not load the Gemini model list: ${String(error)}`));
  processCatalog.timer = setInterval(() => void refreshModelCatalog(), CATALOG_MAX_AGE_MS);
  // The refresh never keeps the process alive on its own.
  processCatalog.timer.unref();
}

export function stopModelCatalogRefresh(): void {
  clearInterval(processCatalog.timer);
  processCatalog.timer = undefined;
}

/** Forgets the list in memory (tests change the key or the stub's models between cases). */
export function forgetModelCatalog(): void {
  processCatalog.cached = undefined;
}
