// Route modules are tested from here because every file under app/routes becomes a route.
import { describe, expect, it } from "vitest";
import type { Graph } from "~workflow/graph";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import { toWorkflowDocument } from "~/lib/workflow-document";
import { action as workflowAction, loader as workflowLoader } from "~/routes/api.workflows.$workflowId";
import { action as duplicateAction } from "~/routes/api.workflows.$workflowId.duplicate";
import { loader as exportLoader } from "~/routes/api.workflows.$workflowId.export";
import { action as importAction } from "~/routes/api.workflows.import";
import { action as workflowsAction, loader as workflowsLoader } from "~/routes/api.workflows";
import { action as pageAction } from "~/routes/workflows._index";
import { bearerAuth, cookieAuth, jsonRequest, respond, TEST_ORIGIN } from "~test/route-helpers";
import { createTestUser } from "~test/users";
import { maxGraphBodyBytes } from "./graph.server";
import { createWorkflow, getWorkflow, listWorkflows } from "./models/workflow.server";

const EMPTY: Graph = { nodes: [], edges: [] };
const context = {};

describe("GET/POST /api/workflows", () => {
  it("creates a workflow with an empty graph by default and lists it", async () => {
    const userId = await createTestUser();
    const auth = await bearerAuth(userId);

    const created = await respond(() =>
      workflowsAction({ request: jsonRequest("/api/workflows", "POST", auth, { name: " First " }), params: {}, context }),
    );
    expect(created.status).toBe(201);
    const { workflow } = await created.json();
    expect(workflow).toMatchObject({ name: "First", graph: EMPTY, version: 1 });

    const listed = await respond(() => workflowsLoader({ request: jsonRequest("/api/workflows", "GET", auth), params: {}, context }));
    expect(await listed.json()).toEqual({
      workflows: [{ id: workflow.id, name: "First", nodeCount: 0, createdAt: workflow.createdAt, updatedAt: workflow.updatedAt }],
    });
  });

  it("answers 400 with the graph's problems and saves nothing", async () => {
    const userId = await createTestUser();
    const graph = { nodes: [{ id: "a", type: "teleport", position: { x: 0, y: 0 }, data: {} }], edges: [] };
    const auth = await cookieAuth(userId);
    const response = await respond(() =>
      workflowsAction({
        request: jsonRequest("/api/workflows", "POST", auth, { name: "Bad", graph }),
        params: {},
        context,
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: "invalid_graph",
        message: expect.stringContaining('unknown type "teleport"'),
        details: { problems: [{ code: "unknown_node_type", nodeId: "a" }] },
      },
    });
    expect(await listWorkflows(userId)).toEqual([]);
  });

  it("answers 400 for malformed JSON and 415 for a body that is not JSON", async () => {
    const auth = await bearerAuth(await createTestUser());
    const malformed = new Request(`${TEST_ORIGIN}/api/workflows`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: '{"name": "x",',
    });
    const malformedResponse = await respond(() => workflowsAction({ request: malformed, params: {}, context }));
    expect(malformedResponse.status).toBe(400);
    expect(await malformedResponse.json()).toMatchObject({ error: { code: "malformed_json" } });

    const form = new Request(`${TEST_ORIGIN}/api/workflows`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=x",
    });
    const formResponse = await respond(() => workflowsAction({ request: form, params: {}, context }));
    expect(formResponse.status).toBe(415);
    expect(await formResponse.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  });

  it("answers 401 without credentials and 405 for other methods", async () => {
    const anonymous = await respond(() => workflowsLoader({ request: jsonRequest("/api/workflows", "GET", {}), params: {}, context }));
    expect(anonymous.status).toBe(401);

    const patch = await respond(() =>
      workflowsAction({ request: jsonRequest("/api/workflows", "PATCH", {}, { name: "x" }), params: {}, context }),
    );
    expect(patch.status).toBe(405);
    expect(patch.headers.get("Allow")).toBe("GET, POST");
    expect(await patch.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });
});

describe("GET/PUT/DELETE /api/workflows/:id", () => {
  it("saves changes made to the current version and answers the new version", async () => {
    const userId = await createTestUser();
    const auth = await bearerAuth(userId);
    const created = await createWorkflow(userId, { name: "Draft", graph: EMPTY });
    const graph = sampleWorkflowGraph();

    const response = await respond(() =>
      workflowAction({
        request: jsonRequest(`/api/workflows/${created.id}`, "PUT", auth, { name: "Kit", graph, version: 1 }),
        params: { workflowId: created.id },
        context,
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ workflow: { id: created.id, name: "Kit", graph, version: 2 } });

    const fetched = await respond(() =>
      workflowLoader({ request: jsonRequest(`/api/workflows/${created.id}`, "GET", auth), params: { workflowId: created.id }, context }),
    );
    expect(await fetched.json()).toMatchObject({ workflow: { name: "Kit", graph, version: 2 } });
  });

  it("answers 400 for a version no integer column can hold, not a 500", async () => {
    const userId = await createTestUser();
    const auth = await bearerAuth(userId);
    const created = await createWorkflow(userId, { name: "Draft", graph: EMPTY });
    const response = await respond(() =>
      workflowAction({
        request: jsonRequest(`/api/workflows/${created.id}`, "PUT", auth, { name: "Big", version: 2_147_483_648 }),
        params: { workflowId: created.id },
        context,
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("version") } });
  });

  it("answers 400 for text with a NUL character, which PostgreSQL cannot store, not a 500", async () => {
    const userId = await createTestUser();
    const auth = await bearerAuth(userId);
    const created = await createWorkflow(userId, { name: "Draft", graph: EMPTY });
    const response = await respond(() =>
      workflowAction({
        request: jsonRequest(`/api/workflows/${created.id}`, "PUT", auth, { name: "a\u0000b", version: 1 }),
        params: { workflowId: created.id },
        context,
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("NUL") } });
  });

  it("answers 409 for a stale version, naming the current one", async () => {
    const userId = await createTestUser();
    const auth = await bearerAuth(userId);
    const created = await createWorkflow(userId, { name: "Shared", graph: EMPTY });
    const put = (name: string) =>
      respond(async () =>
        workflowAction({
          request: jsonRequest(`/api/workflows/${created.id}`, "PUT", auth, { name, version: 1 }),
          params: { workflowId: created.id },
          context,
        }),
      );

    expect((await put("First")).status).toBe(200);
    const stale = await put("Second");
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual({
      error: {
        code: "version_conflict",
        message: "This workflow was changed elsewhere (now version 2). Reload to get the latest version.",
        details: { currentVersion: 2 },
      },
    });
    expect(await getWorkflow(userId, created.id)).toMatchObject({ name: "First", version: 2 });
  });

  it("answers 400 with problems for an invalid graph and leaves the workflow unchanged", async () => {
    const userId = await createTestUser();
    const graph = sampleWorkflowGraph();
    const created = await createWorkflow(userId, { name: "Kit", graph });
    const broken = { ...graph, edges: [...graph.edges, { ...graph.edges[0], id: "loop", source: graph.edges[0].target, target: graph.edges[0].source }] };

    const response = await respond(async () =>
      workflowAction({
        request: jsonRequest(`/api/workflows/${created.id}`, "PUT", await cookieAuth(userId), { name: "Renamed", graph: broken, version: 1 }),
        params: { workflowId: created.id },
        context,
      }),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_graph");
    expect(body.error.details.problems.length).toBeGreaterThan(0);
    expect(await getWorkflow(userId, created.id)).toMatchObject({ name: "Kit", graph, version: 1 });
  });

  it("answers 400 naming the field when version is missing", async () => {
    const userId = await createTestUser();
    const created = await createWorkflow(userId, { name: "Kit", graph: EMPTY });
    const response = await respond(async () =>
      workflowAction({
        request: jsonRequest(`/api/workflows/${created.id}`, "PUT", await bearerAuth(userId), { name: "x" }),
        params: { workflowId: created.id },
        context,
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("version") } });
  });

  it("deletes with 204", async () => {
    const userId = await createTestUser();
    const created = await createWorkflow(userId, { name: "Doomed", graph: EMPTY });
    const response = await respond(async () =>
      workflowAction({
        request: jsonRequest(`/api/workflows/${created.id}`, "DELETE", await bearerAuth(userId)),
        params: { workflowId: created.id },
        context,
      }),
    );
    expect(response.status).toBe(204);
    expect(await getWorkflow(userId, created.id)).toBeNull();
  });

  it("answers 404 for another user's workflow on every route, and changes nothing", async () => {
    const ownerId = await createTestUser();
    const created = await createWorkflow(ownerId, { name: "Private", graph: EMPTY });
    const auth = await bearerAuth(await createTestUser());
    const path = `/api/workflows/${created.id}`;
    const params = { workflowId: created.id };

    const responses = await Promise.all([
      respond(() => workflowLoader({ request: jsonRequest(path, "GET", auth), params, context })),
      respond(() => workflowAction({ request: jsonRequest(path, "PUT", auth, { name: "Mine now", version: 1 }), params, context })),
      respond(() => workflowAction({ request: jsonRequest(path, "DELETE", auth), params, context })),
      respond(() => duplicateAction({ request: jsonRequest(`${path}/duplicate`, "POST", auth), params, context })),
      respond(() => exportLoader({ request: jsonRequest(`${path}/export`, "GET", auth), params, context })),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect(await getWorkflow(ownerId, created.id)).toMatchObject({ name: "Private", version: 1 });
    expect(await listWorkflows(ownerId)).toHaveLength(1);
  });
});

describe("POST /api/workflows/:id/duplicate", () => {
  it("answers 201 with the copy", async () => {
    const userId = await createTestUser();
    const graph = sampleWorkflowGraph();
    const created = await createWorkflow(userId, { name: "Kit", graph });
    const response = await respond(async () =>
      duplicateAction({
        request: jsonRequest(`/api/workflows/${created.id}/duplicate`, "POST", await bearerAuth(userId)),
        params: { workflowId: created.id },
        context,
      }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ workflow: { name: "Kit (copy)", graph, version: 1 } });
  });
});

describe("export and import", () => {
  it("exports a downloadable document that imports as an identical workflow", async () => {
    const userId = await createTestUser();
    const auth = await bearerAuth(userId);
    const graph = sampleWorkflowGraph();
    const created = await createWorkflow(userId, { name: "Product Marketing Kit", graph });

    const exported = await respond(() =>
      exportLoader({ request: jsonRequest(`/api/workflows/${created.id}/export`, "GET", auth), params: { workflowId: created.id }, context }),
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get("Content-Disposition")).toBe('attachment; filename="product-marketing-kit.weft.json"');
    const document = await exported.json();
    expect(document).toMatchObject({ format: "weft.workflow", formatVersion: 1, name: "Product Marketing Kit" });
    expect(JSON.stringify(document)).not.toContain(userId);
    expect(JSON.stringify(document)).not.toContain(created.id);

    const imported = await respond(() =>
      importAction({ request: jsonRequest("/api/workflows/import", "POST", auth, document), params: {}, context }),
    );
    expect(imported.status).toBe(201);
    const { workflow } = await imported.json();
    expect(workflow).toMatchObject({ name: "Product Marketing Kit", graph, version: 1 });
    expect(workflow.id).not.toBe(created.id);
  });

  it("answers 400 with the problems for a bad document and saves nothing", async () => {
    const userId = await createTestUser();
    const auth = await bearerAuth(userId);
    const document = { ...toWorkflowDocument("Future", EMPTY), formatVersion: 2 };

    const response = await respond(() =>
      importAction({ request: jsonRequest("/api/workflows/import", "POST", auth, document), params: {}, context }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: "invalid_document",
        message: expect.stringContaining("formatVersion 2 is newer"),
        details: { problems: [{ code: "unsupported_format_version" }] },
      },
    });

    const notOurs = await respond(() =>
      importAction({ request: jsonRequest("/api/workflows/import", "POST", auth, { hello: "world" }), params: {}, context }),
    );
    expect(notOurs.status).toBe(400);
    expect(await listWorkflows(userId)).toEqual([]);
  });
});

describe("the workflows page's actions", () => {
  async function submit(userId: string, fields: Record<string, string | File>) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const request = new Request(`${TEST_ORIGIN}/workflows`, { method: "POST", headers: await cookieAuth(userId), body: form });
    const result = await pageAction({ request, params: {}, context });
    if (result instanceof Response) return { status: result.status, location: result.headers.get("Location") };
    return { status: result.init?.status ?? 200, data: result.data };
  }

  function jsonFile(content: unknown, name = "kit.weft.json") {
    const text = typeof content === "string" ? content : JSON.stringify(content);
    return new File([text], name, { type: "application/json" });
  }

  it("imports an uploaded file and redirects to the new workflow", async () => {
    const userId = await createTestUser();
    const file = jsonFile(toWorkflowDocument("From file", sampleWorkflowGraph()));
    const result = await submit(userId, { intent: "import", file });

    const [workflow] = await listWorkflows(userId);
    expect(workflow).toMatchObject({ name: "From file", nodeCount: 9 });
    expect(result).toEqual({ status: 302, location: `/workflows/${workflow.id}` });
  });

  it("lists every problem of a file that cannot be imported, and saves nothing", async () => {
    const userId = await createTestUser();
    const document = toWorkflowDocument("   ", { nodes: [], edges: [{ id: "e", source: "a", sourceHandle: "text", target: "b", targetHandle: "x" }] });

    const invalid = await submit(userId, { intent: "import", file: jsonFile(document, "bad.json") });
    expect(invalid.status).toBe(400);
    expect(invalid.data).toMatchObject({ ok: false, intent: "import", error: "bad.json cannot be imported:" });
    expect(invalid.data && !invalid.data.ok && invalid.data.problems).toEqual([
      expect.stringContaining("Give the workflow a name."),
      expect.stringContaining('"a", which does not exist'),
      expect.stringContaining('"b", which does not exist'),
    ]);

    const broken = await submit(userId, { intent: "import", file: jsonFile("{not json", "broken.json") });
    expect(broken).toMatchObject({ status: 400, data: { error: expect.stringContaining("broken.json is not valid JSON") } });
    expect(await listWorkflows(userId)).toEqual([]);
  });

  it("refuses a file over the size limit while it is still arriving", async () => {
    const userId = await createTestUser();
    const file = jsonFile(" ".repeat(maxGraphBodyBytes() + 1), "huge.json");
    const result = await submit(userId, { intent: "import", file });
    expect(result).toMatchObject({ status: 413, data: { intent: "import", error: expect.stringContaining("larger than") } });
    expect(await listWorkflows(userId)).toEqual([]);
  });

  it("creates a workflow and opens it", async () => {
    const userId = await createTestUser();
    const result = await submit(userId, { intent: "create", name: "Fresh" });
    const [workflow] = await listWorkflows(userId);
    expect(workflow).toMatchObject({ name: "Fresh", nodeCount: 0 });
    expect(result).toEqual({ status: 302, location: `/workflows/${workflow.id}` });

    expect(await submit(userId, { intent: "create", name: "  " })).toMatchObject({
      status: 400,
      data: { intent: "create", error: "Give the workflow a name." },
    });
  });

  it("opens a copy of the chosen template, and answers an unknown template with a 404 and nothing made", async () => {
    const userId = await createTestUser();
    const result = await submit(userId, { intent: "template", templateId: "video-highlights" });
    const [workflow] = await listWorkflows(userId);
    expect(workflow).toMatchObject({ name: "Video highlights", nodeCount: 7 });
    expect(result).toEqual({ status: 302, location: `/workflows/${workflow.id}` });

    expect(await submit(userId, { intent: "template", templateId: "no-such-template" })).toMatchObject({
      status: 404,
      data: { ok: false, intent: "template" },
    });
    expect(await submit(userId, { intent: "template" })).toMatchObject({ status: 400, data: { ok: false, intent: "template" } });
    expect(await listWorkflows(userId)).toHaveLength(1);
  });

  it("does not rename, duplicate or delete another user's workflow", async () => {
    const ownerId = await createTestUser();
    const created = await createWorkflow(ownerId, { name: "Private", graph: EMPTY });
    const intruder = await createTestUser();

    for (const intent of ["rename", "duplicate", "delete"]) {
      const result = await submit(intruder, { intent, workflowId: created.id, name: "Mine" });
      expect(result).toMatchObject({ status: 404, data: { ok: false, intent } });
    }
    expect(await listWorkflows(ownerId)).toMatchObject([{ id: created.id, name: "Private" }]);
    expect(await listWorkflows(intruder)).toEqual([]);
  });
});
