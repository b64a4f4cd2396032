import { z } from "zod";
import { priceOf, type PriceTable } from "./prices";

/**
 * What one paid node execution used, as the API reported it: tokens by kind (Run LLM and the
 * image models), images by size (image generation), seconds by resolution (Veo). Stored as is on
 * the node's execution (NodeExecution.usage), next to what it cost.
 */
export const UsageSchema = z.object({
  model: z.string().min(1),
  /** usageMetadata.promptTokenCount: the whole prompt, cached part included. */
  inputTokens: z.number().int().nonnegative().default(0),
  /** usageMetadata.cachedContentTokenCount: the part of the prompt served from Gemini's cache. */
  cachedInputTokens: z.number().int().nonnegative().default(0),
  /** usageMetadata.candidatesTokenCount: the answer. */
  outputTokens: z.number().int().nonnegative().default(0),
  /** usageMetadata.thoughtsTokenCount: billed as output. */
  thinkingTokens: z.number().int().nonnegative().default(0),
  images: z.object({ count: z.number().int().nonnegative(), size: z.string().min(1) }).optional(),
  video: z.object({ seconds: z.number().nonnegative(), resolution: z.string().min(1) }).optional(),
});
export type Usage = z.infer<typeof UsageSchema>;
export type UsageInput = z.input<typeof UsageSchema>;

/** Generate Image asks for an aspect ratio, not a size, so Gemini makes its default 1K image (the size it is priced by). */
export const GENERATED_IMAGE_SIZE = "1K";

/** The fields of Gemini's `usageMetadata` read here (REST and @google/genai use the same names). */
export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
}

export function usageFromGemini(model: string, metadata: GeminiUsageMetadata): Usage {
  return UsageSchema.parse({
    model,
    inputTokens: metadata.promptTokenCount ?? 0,
    cachedInputTokens: metadata.cachedContentTokenCount ?? 0,
    outputTokens: metadata.candidatesTokenCount ?? 0,
    thinkingTokens: metadata.thoughtsTokenCount ?? 0,
  });
}

/** A price in USD, or null when the price table does not know the model (or the size/resolution). */
export type Usd = number | null;

const PER_MILLION = 1_000_000;

/** What a usage cost at the table's prices; null = price unknown (never taken as $0). */
export function costOfUsage(usage: Usage, prices: PriceTable): Usd {
  const price = priceOf(prices, usage.model);
  if (!price) return null;
  if (price.kind === "video") {
    if (!usage.video) return 0;
    const rate = lookup(price.perSecond, usage.video.resolution);
    return rate === undefined ? null : rate * usage.video.seconds;
  }
  const rates =
    price.kind === "text" ? (price.tiers ?? []).filter((tier) => usage.inputTokens > tier.aboveInputTokens).at(-1) ?? price : price;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const tokens =
    ((usage.inputTokens - cached) * rates.inputPerMTok +
      cached * (rates.cachedInputPerMTok ?? rates.inputPerMTok) +
      (usage.outputTokens + usage.thinkingTokens) * rates.outputPerMTok) /
    PER_MILLION;
  if (price.kind === "text" || !usage.images) return tokens;
  const perImage = lookup(price.perImage, usage.images.size);
  // Gemini reports the generated image as output tokens too; the per-image price already covers them.
  return perImage === undefined ? null : (usage.inputTokens * rates.inputPerMTok) / PER_MILLION + perImage * usage.images.count;
}

function lookup(rates: Record<string, number>, key: string): number | undefined {
  const found = Object.keys(rates).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : rates[found];
}

/** "$0.12", "$0.0031", "< $0.0001": enough digits to tell small amounts apart. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  if (usd < 0.0001) return "< $0.0001";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}
