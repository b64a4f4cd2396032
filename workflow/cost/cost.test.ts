import { describe, expect, it } from "vitest";
import { edge, graphOf, llm, node } from "../test-support";
import { estimatePlan } from "./estimate";
import { parsePriceTable, SHIPPED_PRICES, type PriceTable } from "./prices";
import { RunSpend } from "./run-budget";
import { costOfUsage, formatUsd, usageFromGemini, UsageSchema } from "./usage";

/** Round figures, so every expectation can be worked out by hand. */
const PRICES: PriceTable = {
  checkedAt: "2026-12-03",
  sources: ["https://ai.google.dev/gemini-api/docs/pricing"],
  heuristics: { charsPerToken: 4, imageInputTokens: 1000, defaultOutputTokens: 500 },
  models: {
    "text-model": {
      kind: "text",
      inputPerMTok: 1,
      outputPerMTok: 10,
      cachedInputPerMTok: 0.1,
      tiers: [{ aboveInputTokens: 200_000, inputPerMTok: 2, outputPerMTok: 20 }],
      source: "https://ai.google.dev/gemini-api/docs/pricing",
    },
    "image-model": { kind: "image", inputPerMTok: 2, outputPerMTok: 12, perImage: { "1K": 0.1, "4K": 0.25 }, source: "https://ai.google.dev/gemini-api/docs/pricing" },
    "video-model": { kind: "video", perSecond: { "720p": 0.4, "4k": 0.6 }, source: "https://ai.google.dev/gemini-api/docs/pricing" },
  },
};

const usage = (fields: Parameters<typeof UsageSchema.parse>[0]) => UsageSchema.parse(fields);

describe("what a usage cost", () => {
  it("bills thinking tokens as output and cached prompt tokens at the cache rate", () => {
    const reported = usageFromGemini("text-model", {
      promptTokenCount: 10_000,
      cachedContentTokenCount: 4_000,
      candidatesTokenCount: 1_000,
      thoughtsTokenCount: 2_000,
    });
    // 6,000 × $1 + 4,000 × $0.10 + (1,000 + 2,000) × $10, per million.
    expect(costOfUsage(reported, PRICES)).toBeCloseTo(0.0064 + 0.03, 10);
  });

  it("uses the long-prompt tier above its threshold", () => {
    expect(costOfUsage(usage({ model: "text-model", inputTokens: 300_000, outputTokens: 1_000 }), PRICES)).toBeCloseTo(0.6 + 0.02, 10);
  });

  it("prices images by size and video by the second at its resolution", () => {
    expect(costOfUsage(usage({ model: "image-model", inputTokens: 500, images: { count: 2, size: "4K" } }), PRICES)).toBeCloseTo(0.001 + 0.5, 10);
    expect(costOfUsage(usage({ model: "video-model", video: { seconds: 8, resolution: "720p" } }), PRICES)).toBeCloseTo(3.2, 10);
  });

  it("answers null, never $0, for a model, size or resolution the table does not know", () => {
    expect(costOfUsage(usage({ model: "gemini-9-ultra", inputTokens: 10, outputTokens: 10 }), PRICES)).toBeNull();
    expect(costOfUsage(usage({ model: "image-model", images: { count: 1, size: "2K" } }), PRICES)).toBeNull();
    expect(costOfUsage(usage({ model: "video-model", video: { seconds: 4, resolution: "1080p" } }), PRICES)).toBeNull();
  });

  it("formats small amounts with enough digits to tell them apart", () => {
    expect(formatUsd(0.123)).toBe("$0.12");
    expect(formatUsd(0.00314)).toBe("$0.0031");
    expect(formatUsd(0)).toBe("$0");
  });
});

describe("the shipped price table", () => {
  it("is dated, sourced and prices the default text model", () => {
    expect(SHIPPED_PRICES.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(SHIPPED_PRICES.models["gemini-3.6-flash"]).toMatchObject({ kind: "text" });
  });

  it("refuses an operator's file that is not a price table, naming the file", () => {
    expect(() => parsePriceTable({ models: {} }, "/etc/weft/prices.json")).toThrow(/\/etc\/weft\/prices\.json/);
  });
});

describe("estimating a plan", () => {
  const none = new Set<string>();

  it("counts free nodes as $0 and a Run LLM node from its typed text with the character heuristic", () => {
    const graph = graphOf(
      [node("t", "text", { text: "x".repeat(400) }), node("a", "run-llm", { model: "text-model", user_message: "" })],
      [edge("t", "text", "a", "user_message")],
    );
    const estimate = estimatePlan({ graph, nodeIds: ["t", "a"], prices: PRICES, recentUsage: {}, cachedNodeIds: none });
    expect(estimate.nodes.t).toEqual({ usd: 0, basis: "free" });
    // 400 characters ≈ 100 input tokens, 500 output tokens by default.
    expect(estimate.nodes.a.usd).toBeCloseTo((100 * 1 + 500 * 10) / 1e6, 12);
    expect(estimate.nodes.a.basis).toBe("≈ 100 input tokens (≈ 4 characters a token) + ≈ 500 output (no recent runs)");
    expect(estimate).toMatchObject({ complete: true });
    expect(estimate.totalUsd).toBeCloseTo(estimate.nodes.a.usd ?? NaN, 12);
  });

  it("prefers Gemini's count for the text, adds connected images, and expects what recent runs answered", () => {
    const graph = graphOf(
      [node("a", "run-llm", { model: "text-model", user_message: "hello" }), node("img", "upload-image", {})],
      [edge("img", "image", "a", "images")],
    );
    const recent = [usage({ model: "text-model", inputTokens: 99, outputTokens: 200, thinkingTokens: 100 }), usage({ model: "text-model", outputTokens: 100 })];
    const estimate = estimatePlan({ graph, nodeIds: ["a"], prices: PRICES, recentUsage: { a: recent }, countedInputTokens: { a: 240 }, cachedNodeIds: none });
    expect(estimate.nodes.a.basis).toBe("≈ 1,240 input tokens (counted) + ≈ 200 output (recent runs)");
    expect(estimate.nodes.a.usd).toBeCloseTo((1_240 * 1 + 200 * 10) / 1e6, 12);
  });

  it("says price unknown for a model the table lacks, and marks the total incomplete rather than $0", () => {
    const graph = graphOf([node("a", "run-llm", { model: "gemini-9-ultra", user_message: "hi" }), llm("b")]);
    const estimate = estimatePlan({ graph, nodeIds: ["a"], prices: PRICES, recentUsage: {}, cachedNodeIds: none });
    expect(estimate.nodes.a.usd).toBeNull();
    expect(estimate.nodes.a.basis).toMatch(/^price unknown for gemini-9-ultra/);
    expect(estimate).toMatchObject({ totalUsd: 0, complete: false });
  });

  it("counts nodes the output cache would serve as $0", () => {
    const graph = graphOf([node("a", "run-llm", { model: "text-model", user_message: "hi" })]);
    const estimate = estimatePlan({ graph, nodeIds: ["a"], prices: PRICES, recentUsage: {}, cachedNodeIds: new Set(["a"]) });
    expect(estimate.nodes.a).toEqual({ usd: 0, basis: "cached" });
  });
});

describe("a run's spend against its caps", () => {
  const estimates = { paid: { usd: 0.2, basis: "" }, free: { usd: 0, basis: "free" } };

  it("lets paid nodes start until what was spent plus the next estimate crosses the per-run cap", () => {
    const spend = new RunSpend({ prices: PRICES, perRunUsd: 0.5, monthRemainingUsd: null, estimates });
    expect(spend.refusal("paid")).toBeNull();
    // 52,000 output tokens × $10 per million = $0.52.
    spend.record("first", usage({ model: "text-model", outputTokens: 52_000 }));
    expect(spend.refusal("paid")).toBe("Per-run cap of $0.50 reached: $0.52 spent.");
    expect(spend.refusal("free")).toBeNull();
    expect(spend.spendOf("first")?.costUsd).toBeCloseTo(0.52, 10);
  });

  it("counts what a resumed run had already spent against its per-run cap", () => {
    const spend = new RunSpend({ prices: PRICES, perRunUsd: 0.5, monthRemainingUsd: 1, spentBeforeUsd: 0.4, estimates });
    expect(spend.refusal("paid")).toBe("Per-run cap of $0.50 would be crossed: $0.40 spent and this node costs ≈ $0.20.");
    // The month's remainder already leaves the earlier spend out: it is not counted twice.
    const monthly = new RunSpend({ prices: PRICES, perRunUsd: null, monthRemainingUsd: 0.3, spentBeforeUsd: 0.4, estimates });
    expect(monthly.refusal("paid")).toBeNull();
  });

  it("holds back a paid node once the month's remaining budget would be crossed", () => {
    const spend = new RunSpend({ prices: PRICES, perRunUsd: null, monthRemainingUsd: 0.1, estimates });
    expect(spend.refusal("paid")).toMatch(/^Monthly budget reached: \$0\.10 was left this month/);
  });
});
