// Route modules are tested from here because every file under app/routes becomes a route.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as limitsAction, loader as limitsLoader } from "~/routes/api.account.limits";
import { loader as estimateLoader } from "~/routes/api.workflows.$workflowId.estimate";
import { loader as runLoader } from "~/routes/api.runs.$runId";
import { action as runsAction } from "~/routes/api.workflows.$workflowId.runs";
import { startGeminiStub, textReply, type GeminiStub } from "~test/gemini-stub";
import { bearerAuth, jsonRequest, respond } from "~test/route-helpers";
import { SHIPPED_PRICES } from "~workflow/cost/prices";
import { DEFAULT_TEXT_MODEL } from "~workflow/gemini-models";
import { costOfUsage } from "~workflow/cost/usage";
import { spendThisMonth } from "./cost/cost.server";
import { db } from "./db.server";
import { createEmbeddedEngine, type EmbeddedEngine } from "./engine/embedded-engine.server";
import type { WorkflowEngine } from "./engine/engine.server";
import { replaceEngine } from "./engine/index.server";
import { createUser } from "./models/user.server";

const context = {};
const API_KEY = "test-gemini-key";
let stub: GeminiStub;
let engine: EmbeddedEngine;
let previousEngine: WorkflowEngine | undefined;

beforeAll(async () => {
  stub = await startGeminiStub({ apiKey: API_KEY });
  engine = createEmbeddedEngine({ concurrency: 4, llm: { apiKey: API_KEY, baseUrl: stub.baseUrl, timeoutMs: 10_000 }, log: () => {} });
  previousEngine = replaceEngine(engine);
});

afterAll(async () => {
  await engine.stop();
  if (previousEngine) replaceEngine(previousEngine);
  await stub.close();
});

beforeEach(() => stub.reset());

async function signUp() {
  const created = await createUser({ email: `cost-${randomUUID()}@example.com`, password: "correct horse battery" });
  if (!created.ok) throw new Error("sign-up failed");
  const workflow = await db.workflow.findFirstOrThrow({ where: { ownerId: created.user.id } });
  return { userId: created.user.id, workflowId: workflow.id, auth: await bearerAuth(created.user.id) };
}

function getEstimate(workflowId: string, auth: Record<string, string>, query: string) {
  return respond(() => estimateLoader({ request: jsonRequest(`/api/workflows/${workflowId}/estimate?${query}`, "GET", auth), params: { workflowId }, context }));
}

function putLimits(auth: Record<string, string>, body: unknown) {
  return respond(() => limitsAction({ request: jsonRequest("/api/account/limits", "PUT", auth, body), params: {}, context }));
}

function postRun(workflowId: string, auth: Record<string, string>, body: unknown) {
  return respond(() => runsAction({ request: jsonRequest(`/api/workflows/${workflowId}/runs`, "POST", auth, body), params: { workflowId }, context }));
}

describe("GET /api/workflows/:id/estimate", () => {
  it("estimates each node of the chosen scope, free ones at $0, and sums them", async () => {
    const { workflowId, auth } = await signUp();
    const response = await getEstimate(workflowId, auth, "scope=full");
    expect(response.status).toBe(200);
    const { estimate } = await response.json();
    expect(estimate.nodes["crop-product"]).toEqual({ usd: 0, basis: "free" });
    expect(estimate.nodes["product-description"].usd).toBeGreaterThan(0);
    expect(estimate.nodes["product-description"].basis).toMatch(/input tokens \(≈ 4 characters a token\) \+ ≈ 500 output \(no recent runs\)$/);
    expect(estimate.totalUsd).toBeCloseTo(estimate.nodes["product-description"].usd + estimate.nodes["social-media-post"].usd, 12);
    expect(estimate.complete).toBe(true);

    const selected = await (await getEstimate(workflowId, auth, "scope=selected&nodeIds=crop-product,product-description")).json();
    expect(Object.keys(selected.estimate.nodes)).toContain("product-description");
    expect(Object.keys(selected.estimate.nodes)).not.toContain("social-media-post");
    expect(selected.estimate.totalUsd).toBeCloseTo(selected.estimate.nodes["product-description"].usd, 12);
  });

  it("answers 400 for a scope it does not know", async () => {
    const { workflowId, auth } = await signUp();
    expect((await getEstimate(workflowId, auth, "scope=everything")).status).toBe(400);
  });
});

describe("PUT /api/account/limits", () => {
  it("stores the budget and cap, keeps a field left out, and clears one set to null", async () => {
    const { auth } = await signUp();
    expect(await (await putLimits(auth, { monthlyUsd: 20, perRunUsd: 0.5 })).json()).toEqual({ limits: { monthlyUsd: 20, perRunUsd: 0.5 } });
    expect(await (await putLimits(auth, { perRunUsd: null })).json()).toEqual({ limits: { monthlyUsd: 20, perRunUsd: null } });
    const read = await respond(() => limitsLoader({ request: jsonRequest("/api/account/limits", "GET", auth), params: {}, context }));
    expect(await read.json()).toEqual({ limits: { monthlyUsd: 20, perRunUsd: null } });
  });

  it("answers 400 with a readable message for a negative, non-numeric or unknown limit", async () => {
    const { auth } = await signUp();
    for (const body of [{ monthlyUsd: -1 }, { perRunUsd: "lots" }, { budget: 5 }]) {
      const response = await putLimits(auth, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toBeTruthy();
    }
  });
});

describe("budgets when starting a run", () => {
  it("refuses with 402 budget_exceeded and the figures when the estimate exceeds what is left, writing nothing", async () => {
    const { userId, workflowId, auth } = await signUp();
    await putLimits(auth, { monthlyUsd: 0.0001 });
    const response = await postRun(workflowId, auth, { scope: "full" });
    expect(response.status).toBe(402);
    const { error } = await response.json();
    expect(error.code).toBe("budget_exceeded");
    expect(error.message).toMatch(/^This run is estimated at ≈ \$0\.\d+, but only \$0\.0001 of your \$0\.0001 monthly budget is left/);
    expect(error.details).toMatchObject({ remainingUsd: 0.0001, monthlyUsd: 0.0001, spentThisMonthUsd: 0 });
    expect(error.details.estimateUsd).toBeGreaterThan(0.0001);
    expect(await db.workflowRun.count({ where: { ownerId: userId } })).toBe(0);
    expect(stub.requests).toHaveLength(0);
  });

  it("refuses a run whose estimate is above the per-run cap", async () => {
    const { workflowId, auth } = await signUp();
    await putLimits(auth, { perRunUsd: 0.0001 });
    const response = await postRun(workflowId, auth, { scope: "selected", nodeIds: ["crop-product", "product-description"] });
    expect(response.status).toBe(402);
    expect((await response.json()).error.message).toMatch(/above your per-run cap of < \$0\.0001|above your per-run cap of \$0\.0001/);
  });
});

describe("actual cost", () => {
  it("stores each paid node's usage and cost from Gemini's usageMetadata, sums them on the run and into this month's spend", async () => {
    const { userId, workflowId, auth } = await signUp();
    const usage = { promptTokenCount: 2_000, candidatesTokenCount: 400, thoughtsTokenCount: 600 };
    stub.program(textReply("A great pair of headphones.", { usage }));
    const started = await postRun(workflowId, auth, { scope: "selected", nodeIds: ["crop-product", "product-description"] });
    expect(started.status).toBe(202);
    const { run } = await started.json();
    await engine.whenSettled(run.id);

    const detail = await (await respond(() => runLoader({ request: jsonRequest(`/api/runs/${run.id}`, "GET", auth), params: { runId: run.id }, context }))).json();
    const node = detail.run.nodes.find((candidate: { nodeId: string }) => candidate.nodeId === "product-description");
    const model = DEFAULT_TEXT_MODEL;
    const expected = costOfUsage({ model, inputTokens: 2_000, cachedInputTokens: 0, outputTokens: 400, thinkingTokens: 600 }, SHIPPED_PRICES);
    expect(node.usage).toEqual([{ model, inputTokens: 2_000, cachedInputTokens: 0, outputTokens: 400, thinkingTokens: 600 }]);
    expect(node.costUsd).toBeCloseTo(expected ?? NaN, 12);
    expect(detail.run.costUsd).toBeCloseTo(expected ?? NaN, 12);
    expect((await spendThisMonth(userId)).workflows).toEqual([expect.objectContaining({ workflowId, usd: expect.closeTo(expected ?? NaN, 12) })]);

    // Run again as it is, the output cache serves the node: it costs nothing.
    const again = await (await getEstimate(workflowId, auth, "scope=selected&nodeIds=crop-product,product-description")).json();
    expect(again.estimate.nodes["product-description"]).toEqual({ usd: 0, basis: "cached" });
    // Run fresh, the node's own recent run says what to expect of its answer.
    const { estimate } = await (await getEstimate(workflowId, auth, "scope=selected&nodeIds=crop-product,product-description&cache=refresh")).json();
    expect(estimate.nodes["product-description"].basis).toMatch(/\+ ≈ 1,000 output \(recent runs\)$/);
  });
});
