import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Graph } from "~workflow/graph";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import { createAutosave } from "./autosave";
import { toGraph } from "./graph-conversion";
import { createEditorStore } from "./store";

interface SentRequest {
  url: string;
  init: RequestInit;
  body: { name: string; graph: Graph; version: number };
}

/** A stand-in for the API: records requests and answers with what the test queues. */
function fakeServer() {
  const requests: SentRequest[] = [];
  const answers: (() => Response | Promise<Response>)[] = [];
  let version = 1;
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {}, body: JSON.parse(String(init?.body)) });
    const answer = answers.shift();
    if (answer) return answer();
    version++;
    return Response.json({ workflow: { id: "wf-1", version } });
  });
  return { fetch, requests, answers };
}

function setup() {
  const store = createEditorStore({ workflowId: "wf-1", name: "Kit", version: 1, graph: sampleWorkflowGraph() });
  const server = fakeServer();
  const autosave = createAutosave(store, { fetch: server.fetch, delayMs: 800, retryMs: 5_000 });
  return { store, actions: store.getState().actions, server, autosave };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("autosave", () => {
  it("saves once, 800 ms after the last of several quick changes, based on the loaded version", async () => {
    const { actions, store, server } = setup();
    actions.updateParam("product-details", "text", "a");
    await vi.advanceTimersByTimeAsync(500);
    actions.updateParam("product-details", "text", "ab");
    await vi.advanceTimersByTimeAsync(700);
    expect(server.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.url).toBe("/api/workflows/wf-1");
    expect(request.init.method).toBe("PUT");
    expect(request.body.version).toBe(1);
    expect(request.body.name).toBe("Kit");
    expect(request.body.graph).toEqual(toGraph(store.getState().nodes, store.getState().edges));
    expect(store.getState()).toMatchObject({ version: 2, save: { kind: "idle" } });
    expect(store.getState().revision).toBe(store.getState().savedRevision);
  });

  it("does not save selection changes", async () => {
    const { actions, server } = setup();
    actions.onNodesChange([{ type: "select", id: "crop-product", selected: true }]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.requests).toHaveLength(0);
  });

  it("sends one request at a time, the next based on the version the first returned", async () => {
    const { actions, server, store } = setup();
    let release: (response: Response) => void = () => undefined;
    server.answers.push(() => new Promise<Response>((resolve) => (release = resolve)));
    actions.rename("First");
    await vi.advanceTimersByTimeAsync(800);
    expect(store.getState().save.kind).toBe("saving");
    actions.rename("Second");
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.requests).toHaveLength(1);
    release(Response.json({ workflow: { version: 7 } }));
    await vi.advanceTimersByTimeAsync(800);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].body).toMatchObject({ name: "Second", version: 7 });
  });

  it("does not send a graph that breaks the rules, and says what is wrong", async () => {
    const { actions, server, store } = setup();
    actions.updateParam("crop-product", "width_percent", 150);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.requests).toHaveLength(0);
    expect(store.getState().save).toEqual({
      kind: "invalid",
      message: 'Crop Image "crop-product": width_percent must be at most 100.',
    });
    actions.updateParam("crop-product", "width_percent", 80);
    expect(store.getState().save).toEqual({ kind: "idle" });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it("stops on a version conflict and says so", async () => {
    const { actions, server, store } = setup();
    server.answers.push(() =>
      Response.json(
        { error: { code: "version_conflict", message: "changed", details: { currentVersion: 4 } } },
        { status: 409 },
      ),
    );
    actions.rename("Mine");
    await vi.advanceTimersByTimeAsync(800);
    expect(store.getState().save).toEqual({
      kind: "conflict",
      message: "This workflow was changed in another tab or window. Reload to get the latest version.",
    });
    actions.rename("Mine again");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(1);
  });

  it("shows the first problem the server finds", async () => {
    const { actions, server, store } = setup();
    server.answers.push(() =>
      Response.json(
        {
          error: {
            code: "invalid_graph",
            message: "The workflow has problems.",
            details: { problems: [{ code: "too_large", message: "The workflow has 600 nodes, over the limit of 500." }] },
          },
        },
        { status: 400 },
      ),
    );
    actions.rename("Big");
    await vi.advanceTimersByTimeAsync(800);
    expect(store.getState().save).toEqual({ kind: "invalid", message: "The workflow has 600 nodes, over the limit of 500." });
  });

  it("retries after a network failure", async () => {
    const { actions, server, store } = setup();
    server.answers.push(() => Promise.reject(new TypeError("Failed to fetch")));
    actions.rename("Offline");
    await vi.advanceTimersByTimeAsync(800);
    expect(store.getState().save).toEqual({ kind: "error", message: "Could not reach the server; retrying." });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.requests).toHaveLength(2);
    expect(store.getState().revision).toBe(store.getState().savedRevision);
  });

  it("flushes pending changes at once, with keepalive when the page is going away", async () => {
    const { actions, server, autosave } = setup();
    actions.rename("Leaving");
    await autosave.flush({ keepalive: true });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].init.keepalive).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.requests).toHaveLength(1);
  });

  it("stops saving once disposed", async () => {
    const { actions, server, autosave } = setup();
    autosave.dispose();
    actions.rename("Gone");
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.requests).toHaveLength(0);
  });
});
