// Route modules are tested from here because every file under app/routes becomes a route.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { loader as runLoader } from "~/routes/api.runs.$runId";
import { action as cancelAction } from "~/routes/api.runs.$runId.cancel";
import { action as retryAction } from "~/routes/api.runs.$runId.retry";
import { action as runsAction, loader as runsLoader } from "~/routes/api.workflows.$workflowId.runs";
import { hang, invalidApiKey, startGeminiStub, textReply, type GeminiStub } from "~test/gemini-stub";
import { bearerAuth, jsonRequest, respond, TEST_ORIGIN } from "~test/route-helpers";
import { db } from "./db.server";
import { verifyAccessToken } from "./engine/access-token.server";
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
  engine = createEmbeddedEngine({
    concurrency: 4,
    llm: { apiKey: API_KEY, baseUrl: stub.baseUrl, timeoutMs: 10_000 },
    log: () => {},
  });
  previousEngine = replaceEngine(engine);
});

afterAll(async () => {
  await engine.stop();
  if (previousEngine) replaceEngine(previousEngine);
  await stub.close();
});

beforeEach(() => {
  stub.reset();
});

/** A new account (with its sample workflow and sample files) and an API token for it. */
async function signUp() {
  const created = await createUser({ email: `run-api-${randomUUID()}@example.com`, password: "correct horse battery" });
  if (!created.ok) throw new Error("sign-up failed");
  const userId = created.user.id;
  const workflow = await db.workflow.findFirstOrThrow({ where: { ownerId: userId } });
  return { userId, workflowId: workflow.id, auth: await bearerAuth(userId) };
}

function postRun(workflowId: string, auth: Record<string, string>, body: unknown) {
  return respond(() => runsAction({ request: jsonRequest(`/api/workflows/${workflowId}/runs`, "POST", auth, body), params: { workflowId }, context }));
}

function getRun(runId: string, auth: Record<string, string>) {
  return respond(() => runLoader({ request: jsonRequest(`/api/runs/${runId}`, "GET", auth), params: { runId }, context }));
}

function listRunsOf(workflowId: string, auth: Record<string, string>, query = "") {
  return respond(() => runsLoader({ request: jsonRequest(`/api/workflows/${workflowId}/runs${query}`, "GET", auth), params: { workflowId }, context }));
}

function postCancel(runId: string, auth: Record<string, string>) {
  return respond(() => cancelAction({ request: jsonRequest(`/api/runs/${runId}/cancel`, "POST", auth), params: { runId }, context }));
}

function postRetry(runId: string, auth: Record<string, string>) {
  return respond(() => retryAction({ request: jsonRequest(`/api/runs/${runId}/retry`, "POST", auth), params: { runId }, context }));
}

interface NodeView {
  nodeId: string;
  nodeType: string;
  status: string;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

async function runToEnd(runId: string, auth: Record<string, string>) {
  await engine.whenSettled(runId);
  const body = await (await getRun(runId, auth)).json();
  const nodes: Record<string, NodeView> = Object.fromEntries(body.run.nodes.map((view: NodeView) => [view.nodeId, view]));
  return { run: body.run, nodes };
}

function imagesSentIn(body: (typeof stub.requests)[number]["body"]) {
  return (body.contents ?? []).flatMap((content) => content.parts ?? []).filter((part) => part.inlineData);
}


describe("running the sample workflow through the API (embedded engine, Gemini stub)", () => {
  it("runs every node to completed, feeding LLM #2 both branches' images", async () => {
    const { workflowId, auth } = await signUp();

    const response = await postRun(workflowId, auth, { scope: "full" });
    expect(response.status).toBe(202);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({
      run: { id: expect.any(String), status: "queued", scope: "full" },
      realtime: { runId: expect.stringMatching(/^run_/), accessToken: expect.any(String), baseURL: TEST_ORIGIN },
    });
    expect(verifyAccessToken(body.realtime.accessToken, body.realtime.runId)).toBe(true);

    const { run, nodes } = await runToEnd(body.run.id, auth);
    expect(run).toMatchObject({ id: body.run.id, workflowId, status: "completed", scope: "full", error: null, retryOfId: null });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(Object.values(nodes).every((view) => view.status === "success")).toBe(true);
    expect(nodes["product-description"].outputs).toEqual({ output: "Hello from the Gemini stub." });
    expect(nodes["social-media-post"].outputs).toEqual({ output: "Hello from the Gemini stub." });
    expect(nodes["social-media-post"].inputs).toMatchObject({ user_message: "Hello from the Gemini stub." });
    expect(nodes["crop-product"].outputs).toMatchObject({ output: { kind: "image", url: expect.stringMatching(/^\/files\//) } });
    expect(nodes["video-frame"].outputs).toMatchObject({ output: { kind: "image", mime: "image/png" } });

    expect(stub.requests).toHaveLength(2);
    const [first, second] = stub.requests;
    expect(first.body.systemInstruction?.parts?.[0]?.text).toContain("professional marketing copywriter");
    expect(imagesSentIn(first.body)).toHaveLength(1);
    expect(second.body.systemInstruction?.parts?.[0]?.text).toContain("social media manager");
    expect(second.body.contents?.[0]?.parts?.[0]?.text).toBe("Hello from the Gemini stub.");
    expect(imagesSentIn(second.body).map((part) => part.inlineData?.mimeType).sort()).toEqual(["image/jpeg", "image/png"]);

    // LLM #2 started only after both branches ended.
    const post = Date.parse(nodes["social-media-post"].startedAt!);
    expect(post).toBeGreaterThanOrEqual(Date.parse(nodes["video-frame"].finishedAt!));
    expect(post).toBeGreaterThanOrEqual(Date.parse(nodes["product-description"].finishedAt!));
  });

  it("ends partial when Gemini rejects the key: LLM #1 fails, LLM #2 is skipped, the media branches succeed", async () => {
    const { workflowId, auth } = await signUp();
    stub.program(invalidApiKey());

    const { run, nodes } = await runToEnd((await (await postRun(workflowId, auth, { scope: "full" })).json()).run.id, auth);
    expect(run.status).toBe("partial");
    expect(nodes["product-description"]).toMatchObject({ status: "failed", error: "Gemini rejected the API key." });
    expect(nodes["social-media-post"]).toMatchObject({ status: "skipped", error: expect.stringContaining("failed") });
    expect(nodes["crop-product"].status).toBe("success");
    expect(nodes["video-frame"].status).toBe("success");
    expect(stub.requests).toHaveLength(1);

    // Retrying re-executes only what did not succeed.
    stub.reset();
    const retried = await postRetry(run.id, auth);
    expect(retried.status).toBe(202);
    const retryBody = await retried.json();
    expect(retryBody).toMatchObject({ run: { status: "queued", scope: "full" }, realtime: { runId: expect.stringMatching(/^run_/) } });
    const retry = await runToEnd(retryBody.run.id, auth);
    expect(retry.run).toMatchObject({ status: "completed", retryOfId: run.id });
    expect(retry.nodes["crop-product"]).toMatchObject({ status: "success", finishedAt: nodes["crop-product"].finishedAt });
    expect(retry.nodes["product-description"].outputs).toEqual({ output: "Hello from the Gemini stub." });
    expect(stub.requests).toHaveLength(2);

    const again = await postRetry(retryBody.run.id, auth);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "nothing_to_retry" } });
  });

  it("cancels a running run (202), then refuses to cancel it again (409)", async () => {
    const { workflowId, auth } = await signUp();
    stub.program(hang());
    const { run } = await (await postRun(workflowId, auth, { scope: "full" })).json();
    await vi.waitFor(() => expect(stub.requests.length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });

    const retryTooSoon = await postRetry(run.id, auth);
    expect(retryTooSoon.status).toBe(409);
    expect(await retryTooSoon.json()).toMatchObject({ error: { code: "run_not_finished" } });

    const cancelled = await postCancel(run.id, auth);
    expect(cancelled.status).toBe(202);
    expect(await cancelled.json()).toMatchObject({ run: { id: run.id } });
    const { run: ended, nodes } = await runToEnd(run.id, auth);
    expect(ended.status).toBe("cancelled");
    expect(nodes["product-description"].status).toBe("cancelled");
    expect(nodes["social-media-post"].status).toBe("cancelled");

    const again = await postCancel(run.id, auth);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "run_finished" } });
  });
});

describe("run API answers", () => {
  it("refuses bad requests with a message and the problems", async () => {
    const { workflowId, auth } = await signUp();

    const badScope = await postRun(workflowId, auth, { scope: "everything" });
    expect(badScope.status).toBe(400);
    expect(await badScope.json()).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("scope") } });

    const unknown = await postRun(workflowId, auth, { scope: "selected", nodeIds: ["ghost"] });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      error: { code: "invalid_run_request", message: expect.stringContaining("ghost"), details: { problems: [{ code: "unknown_node" }] } },
    });

    const noSelection = await postRun(workflowId, auth, { scope: "selected", nodeIds: [] });
    expect(noSelection.status).toBe(400);

    const badCache = await postRun(workflowId, auth, { scope: "full", cache: "sometimes" });
    expect(badCache.status).toBe(400);
    expect(await badCache.json()).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("cache") } });

    // A node to run fresh must be part of the run.
    const freshOutside = await postRun(workflowId, auth, { scope: "single", nodeIds: ["video-frame"], fresh: ["crop-product"] });
    expect(freshOutside.status).toBe(400);
    expect(await freshOutside.json()).toMatchObject({ error: { details: { problems: [{ nodeId: "crop-product" }] } } });

    // Nothing has run yet, so LLM #2's inputs have no outputs to come from.
    const missing = await postRun(workflowId, auth, { scope: "single", nodeIds: ["social-media-post"] });
    expect(missing.status).toBe(409);
    const missingBody = await missing.json();
    expect(missingBody.error.code).toBe("missing_upstream_output");
    expect(missingBody.error.details.problems.map((problem: { nodeId: string }) => problem.nodeId).sort()).toEqual([
      "crop-product",
      "product-description",
      "video-frame",
    ]);

    expect(await db.workflowRun.count({ where: { workflowId } })).toBe(0);
  });

  it("answers 404 for another user's workflow and run ids, and 401 without credentials", async () => {
    const owner = await signUp();
    const stranger = await signUp();
    stub.program(textReply("ok"));
    const { run } = await (await postRun(owner.workflowId, owner.auth, { scope: "single", nodeIds: ["crop-product"] })).json();
    await engine.whenSettled(run.id);

    expect((await postRun(owner.workflowId, stranger.auth, { scope: "full" })).status).toBe(404);
    expect((await listRunsOf(owner.workflowId, stranger.auth)).status).toBe(404);
    expect((await getRun(run.id, stranger.auth)).status).toBe(404);
    expect((await postCancel(run.id, stranger.auth)).status).toBe(404);
    expect((await postRetry(run.id, stranger.auth)).status).toBe(404);
    expect((await getRun("no-such-run", owner.auth)).status).toBe(404);
    expect((await getRun(run.id, {})).status).toBe(401);
    expect((await postRun(owner.workflowId, {}, { scope: "full" })).status).toBe(401);
  });

  it("lists a workflow's runs newest first, a page at a time", async () => {
    const { workflowId, auth } = await signUp();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { run } = await (await postRun(workflowId, auth, { scope: "single", nodeIds: ["crop-product"] })).json();
      await engine.whenSettled(run.id);
      ids.push(run.id);
    }

    const firstPage = await (await listRunsOf(workflowId, auth, "?limit=2")).json();
    expect(firstPage.runs.map((run: { id: string }) => run.id)).toEqual([ids[2], ids[1]]);
    expect(firstPage.runs[0]).toMatchObject({
      workflowId,
      status: "completed",
      scope: "single",
      requestedNodeIds: ["crop-product"],
      durationMs: expect.any(Number),
      retryOfId: null,
    });
    const secondPage = await (await listRunsOf(workflowId, auth, `?limit=2&cursor=${firstPage.nextCursor}`)).json();
    expect(secondPage).toEqual({ runs: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const defaults = await (await listRunsOf(workflowId, auth)).json();
    expect(defaults.runs).toHaveLength(3);

    // A cursor dated in year 0 is well-formed ISO but not a PostgreSQL timestamp.
    const yearZero = Buffer.from(JSON.stringify(["0000-01-01T00:00:00.000Z", "x"])).toString("base64url");
    for (const query of ["?limit=0", "?limit=101", "?limit=ten", "?cursor=not-a-cursor", `?cursor=${yearZero}`]) {
      const bad = await listRunsOf(workflowId, auth, query);
      expect(bad.status, query).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });
});

describe("runs in flight per user", () => {
  it("accepts MAX_RUNS_IN_FLIGHT_PER_USER (5) runs at once, even asked in parallel, and answers 429 too_many_runs beyond", async () => {
    const { workflowId, auth } = await signUp();
    stub.program(hang());
    const responses = await Promise.all(Array.from({ length: 8 }, () => postRun(workflowId, auth, { scope: "full" })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
    const refused = responses.find((response) => response.status === 429)!;
    expect(await refused.json()).toMatchObject({ error: { code: "too_many_runs", details: { limit: 5 } } });

    // Someone else is not held back by this user's runs.
    const other = await signUp();
    const theirs = await postRun(other.workflowId, other.auth, { scope: "full" });
    expect(theirs.status).toBe(202);

    // Once one ends, there is room for one more.
    const started = await Promise.all(responses.filter((response) => response.status === 202).map((response) => response.json()));
    expect((await postCancel(started[0].run.id, auth)).status).toBe(202);
    await runToEnd(started[0].run.id, auth);
    const next = await postRun(workflowId, auth, { scope: "full" });
    expect(next.status).toBe(202);

    const remaining = [...started.slice(1).map((body) => body.run.id), (await next.json()).run.id];
    for (const runId of remaining) await postCancel(runId, auth);
    await postCancel((await theirs.json()).run.id, other.auth);
    for (const runId of remaining) await runToEnd(runId, auth);
  });
});
