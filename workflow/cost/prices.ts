import { z } from "zod";
import shipped from "./pricing.json" with { type: "json" };

/**
 * Gemini's prices as data (pricing.json, dated, with sources), or an operator's file of the same
 * shape (WEFT_PRICES_PATH, read by the app and passed in). Rates are USD per 1M tokens, per image
 * by size, or per second of video by resolution.
 */

const TokenRatesSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  /** Prompt tokens served from Gemini's context cache; the input rate when absent. */
  cachedInputPerMTok: z.number().nonnegative().optional(),
});

const ModelPriceSchema = z.discriminatedUnion("kind", [
  TokenRatesSchema.extend({
    kind: z.literal("text"),
    tiers: z.array(TokenRatesSchema.extend({ aboveInputTokens: z.number().int().positive() })).optional(),
    note: z.string().optional(),
    source: z.url(),
  }),
  TokenRatesSchema.extend({
    kind: z.literal("image"),
    /** By output size as Gemini names it ("1K", "2K", "4K"). */
    perImage: z.record(z.string(), z.number().nonnegative()),
    note: z.string().optional(),
    source: z.url(),
  }),
  z.object({
    kind: z.literal("video"),
    /** By resolution as Veo names it ("720p", "1080p", "4k"). */
    perSecond: z.record(z.string(), z.number().nonnegative()),
    note: z.string().optional(),
    source: z.url(),
  }),
]);
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

export const PriceTableSchema = z.object({
  checkedAt: z.iso.date(),
  sources: z.array(z.url()).min(1),
  heuristics: z.object({
    charsPerToken: z.number().positive(),
    imageInputTokens: z.number().int().nonnegative(),
    defaultOutputTokens: z.number().int().nonnegative(),
  }),
  models: z.record(z.string(), ModelPriceSchema),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

export const SHIPPED_PRICES: PriceTable = PriceTableSchema.parse(shipped);

/** Reads an operator's price file; the error names what is wrong so the app can refuse to start with it. */
export function parsePriceTable(json: unknown, origin: string): PriceTable {
  const parsed = PriceTableSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`The price file ${origin} is not valid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function priceOf(prices: PriceTable, modelId: string): ModelPrice | undefined {
  return Object.hasOwn(prices.models, modelId) ? prices.models[modelId] : undefined;
}
