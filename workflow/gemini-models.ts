import { z } from "zod";
import shipped from "./gemini-models.json" with { type: "json" };

/**
 * Gemini's models as Weft offers them: what `models.list` answers for the key (the app's model
 * catalog, app/.server/models-catalog.server.ts), or the shipped list in gemini-models.json,
 * dated, when there is no key or Gemini cannot be reached. Model ids are data, never constants in
 * code: vendors retire them (ids that were shut down live only in the JSON file's `retired` map).
 */

/** What a model makes: text (Run LLM), images or videos (the generation nodes). */
export const ModelKindSchema = z.enum(["text", "image", "video"]);
export type ModelKind = z.infer<typeof ModelKindSchema>;

export const CatalogModelSchema = z.object({
  /** The id Gemini's API takes, without "models/". */
  id: z.string().min(1),
  label: z.string().min(1),
  kind: ModelKindSchema,
  inputTokenLimit: z.number().int().positive().optional(),
  outputTokenLimit: z.number().int().positive().optional(),
});
export type CatalogModel = z.infer<typeof CatalogModelSchema>;

/** `GET /api/models`: one schema for the route and the editor. */
export const ModelCatalogSchema = z.object({
  models: z.array(CatalogModelSchema),
  /** "live": read from Gemini with the app's key; "fallback": the shipped list. */
  source: z.enum(["live", "fallback"]),
  /** When Gemini answered (live), or when the shipped list was checked (fallback). */
  fetchedAt: z.string(),
});
export type ModelCatalog = z.infer<typeof ModelCatalogSchema>;

/** The choices a Veo model offers on the Generate Video node (what predictLongRunning accepts). */
export const VideoCapabilitiesSchema = z.object({
  aspectRatios: z.array(z.string().min(1)).min(1),
  durationsSeconds: z.array(z.number().int().positive()).min(1),
  resolutions: z.array(z.string().min(1)).min(1),
  /** Resolutions beyond the first are accepted only for clips of exactly this length. */
  aboveMinResolutionNeedsSeconds: z.number().int().positive().optional(),
});
export type VideoCapabilities = z.infer<typeof VideoCapabilitiesSchema>;

const ShippedSchema = z.object({
  checkedAt: z.iso.date(),
  sources: z.array(z.url()).min(1),
  defaultTextModel: z.string().min(1),
  defaultImageModel: z.string().min(1),
  defaultVideoModel: z.string().min(1),
  videoCapabilities: z.object({
    checkedAt: z.iso.date(),
    default: VideoCapabilitiesSchema,
    models: z.record(z.string(), VideoCapabilitiesSchema),
  }),
  models: z.array(CatalogModelSchema).min(1),
  retired: z.record(z.string(), z.string()),
});

const SHIPPED = ShippedSchema.parse(shipped);

/** The Run LLM default and the sample workflow's model: current when the list was checked. */
export const DEFAULT_TEXT_MODEL = SHIPPED.defaultTextModel;

/** The Generate Image default: a current image model of the shipped list. */
export const DEFAULT_IMAGE_MODEL = SHIPPED.defaultImageModel;

/** The Generate Video default: current when the list was checked. */
export const DEFAULT_VIDEO_MODEL = SHIPPED.defaultVideoModel;

/** What a video model accepts; a Veo model newer than the shipped data gets the conservative default. */
export function videoCapabilities(modelId: string): VideoCapabilities {
  const known = SHIPPED.videoCapabilities.models;
  return Object.hasOwn(known, modelId) ? known[modelId] : SHIPPED.videoCapabilities.default;
}

/** Why these settings cannot be sent to the model, or null when it accepts them. */
export function videoSettingsProblem(
  modelId: string,
  settings: { aspectRatio: string; durationSeconds: number; resolution: string },
): string | null {
  const caps = videoCapabilities(modelId);
  if (!caps.aspectRatios.includes(settings.aspectRatio)) return `${modelId} makes ${caps.aspectRatios.join(" or ")} videos, not ${settings.aspectRatio}.`;
  if (!caps.durationsSeconds.includes(settings.durationSeconds)) {
    return `${modelId} makes videos of ${caps.durationsSeconds.join(", ")} seconds, not ${settings.durationSeconds}.`;
  }
  if (!caps.resolutions.includes(settings.resolution)) return `${modelId} makes ${caps.resolutions.join(", ")} videos, not ${settings.resolution}.`;
  const needs = caps.aboveMinResolutionNeedsSeconds;
  if (needs !== undefined && settings.resolution !== caps.resolutions[0] && settings.durationSeconds !== needs) {
    return `${modelId} makes ${settings.resolution} videos only ${needs} seconds long; choose ${needs} s or ${caps.resolutions[0]}.`;
  }
  return null;
}

export const FALLBACK_CATALOG: ModelCatalog = {
  models: SHIPPED.models,
  source: "fallback",
  fetchedAt: new Date(`${SHIPPED.checkedAt}T00:00:00Z`).toISOString(),
};

export const FALLBACK_SOURCES: readonly string[] = SHIPPED.sources;

/** What a shut-down model's workflows should use instead, or undefined for an id not known to be retired. */
export function retiredModelReplacement(modelId: string): string | undefined {
  return Object.hasOwn(SHIPPED.retired, modelId) ? SHIPPED.retired[modelId] : undefined;
}

export type ModelOffer =
  | { status: "offered"; model: CatalogModel }
  /** Offered as far as Weft can tell: not in the shipped list, but not known to be retired either (no live list to ask). */
  | { status: "unknown" }
  | { status: "unavailable"; replacement: string; message: string };

/**
 * Whether the catalog offers a model, and if not, which one to use instead. With a live list,
 * an id it does not contain is unavailable; with the fallback list only a known retired id is.
 */
export function modelOffer(modelId: string, catalog: ModelCatalog, kind: ModelKind = "text"): ModelOffer {
  const model = catalog.models.find((candidate) => candidate.id === modelId);
  if (model) return { status: "offered", model };
  const retiredFor = retiredModelReplacement(modelId);
  if (retiredFor === undefined && catalog.source === "fallback") return { status: "unknown" };
  const replacement = pickReplacement(retiredFor, catalog, kind);
  return { status: "unavailable", replacement, message: unavailableModelMessage(modelId, replacement, retiredFor !== undefined) };
}

/** The replacement the catalog offers: the retired map's when listed, else the default, else the first of the kind. */
function pickReplacement(preferred: string | undefined, catalog: ModelCatalog, kind: ModelKind): string {
  const offered = (id: string | undefined) => id !== undefined && catalog.models.some((model) => model.id === id);
  if (offered(preferred)) return preferred!;
  if (kind === "text" && offered(DEFAULT_TEXT_MODEL)) return DEFAULT_TEXT_MODEL;
  if (kind === "image" && offered(DEFAULT_IMAGE_MODEL)) return DEFAULT_IMAGE_MODEL;
  return catalog.models.find((model) => model.kind === kind)?.id ?? preferred ?? DEFAULT_TEXT_MODEL;
}

/** The one message for a model Gemini no longer serves: on the node before a run, and as the node's error. */
export function unavailableModelMessage(modelId: string, replacement: string, retired = true): string {
  return retired
    ? `Gemini no longer offers the model "${modelId}" (it was retired). Pick another model on the node, such as "${replacement}".`
    : `Gemini does not offer the model "${modelId}" to this API key. Pick another model on the node, such as "${replacement}".`;
}

/** The models a node of `kinds` can use, grouped by kind in that order (the dropdown's groups). */
export function modelsByKind(catalog: ModelCatalog, kinds: readonly ModelKind[]): { kind: ModelKind; models: CatalogModel[] }[] {
  return kinds
    .map((kind) => ({ kind, models: catalog.models.filter((model) => model.kind === kind) }))
    .filter((group) => group.models.length > 0);
}

/** A model as `models.list` describes it (the SDK's `Model`, only the fields read here). */
export interface ListedModel {
  name?: string;
  displayName?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  /** The REST API's `supportedGenerationMethods`, which @google/genai 3.x calls `supportedActions`. */
  supportedActions?: string[];
}

/**
 * Gemini models that answer generateContent but make neither text nor pictures for a node:
 * speech (TTS), live/audio dialogue, embeddings, agents. Models outside the Gemini family (Gemma
 * takes no system instruction, for one) are not offered at all.
 */
const NOT_FOR_NODES = /(^|-)(tts|live|native-audio|audio|embedding|aqa|robotics|computer-use)(-|$)/;

/** Gemini models that answer generateContent with pictures: "gemini-3.1-flash-image", "gemini-nano-banana-2.1". */
const IMAGE_MODEL_ID = /(^|-)(image|nano-banana)(-|$)/;

/**
 * The catalog entry for a listed model, or null for one Weft's nodes cannot use. Gemini says
 * what a model accepts (its methods) but not what it makes, so the kind comes from its id as
 * Google names them: "…-image" and Nano Banana ("gemini-nano-banana-2.1", the first image id
 * without "image" in it) make images, Veo makes videos (`predictLongRunning`).
 */
export function catalogModelFromListing(listed: ListedModel): CatalogModel | null {
  const id = listed.name?.replace(/^models\//, "");
  if (!id) return null;
  const methods = listed.supportedActions ?? [];
  let kind: ModelKind | null = null;
  if (/^veo-/.test(id) && methods.includes("predictLongRunning")) kind = "video";
  else if (/^gemini-/.test(id) && methods.includes("generateContent") && !NOT_FOR_NODES.test(id)) kind = IMAGE_MODEL_ID.test(id) ? "image" : "text";
  if (kind === null) return null;
  return {
    id,
    label: listed.displayName?.trim() || id,
    kind,
    ...(listed.inputTokenLimit ? { inputTokenLimit: listed.inputTokenLimit } : {}),
    ...(listed.outputTokenLimit ? { outputTokenLimit: listed.outputTokenLimit } : {}),
  };
}
