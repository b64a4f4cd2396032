import { describe, expect, it } from "vitest";
import { cancelRun, describeError, fetchRunDetail, startRun, type Fetch } from "./run-requests";

function answering(status: number, body: unknown): { send: Fetch; calls: { url: string; init?: RequestInit }[] } {
  const calls: { url: string; init?: RequestInit }[] = [];
  const send: Fetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  };
  return { send, calls };
}

describe("startRun", () => {
  it("posts the scope and hands back the run and its realtime access", async () => {
    const realtime = { runId: "engine_1", accessToken: "t", baseURL: "http://weft.test" };
    const { send, calls } = answering(202, { run: { id: "run_1", status: "queued", scope: "single" }, realtime });
    const result = await startRun("wf 1", { scope: "single", nodeIds: ["answer"] }, send);
    expect(result).toEqual({ ok: true, value: { run: { id: "run_1", status: "queued", scope: "single" }, realtime } });
    expect(calls[0].url).toBe("/api/workflows/wf%201/runs");
    expect(calls[0].init?.method).toBe("POST");
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ scope: "single", nodeIds: ["answer"] });
  });

  it("passes on the server's explanation of a refused run, naming the node", async () => {
    const message = 'Run LLM "answer" has no successful output yet; run it first or include it in the selection.';
    const { send } = answering(409, { error: { code: "missing_upstream_output", message, details: { problems: [{ code: "missing_upstream_output", nodeId: "answer", message }] } } });
    await expect(startRun("wf", { scope: "single", nodeIds: ["post"] }, send)).resolves.toEqual({ ok: false, message, problems: [], status: 409 });
  });

  it("says when the server cannot be reached", async () => {
    const send: Fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    await expect(startRun("wf", { scope: "full" }, send)).resolves.toEqual({
      ok: false,
      message: "The run could not be started: the server could not be reached.",
      problems: [],
      status: null,
    });
  });
});

describe("describeError", () => {
  it("lists every problem when there are several", () => {
    const problems = [{ message: "First." }, { message: "Second." }];
    expect(describeError(409, { error: { code: "x", message: "First. (and 1 more problems)", details: { problems } } }, "Failed")).toEqual({
      message: "First. (and 1 more problems)",
      problems: ["First.", "Second."],
    });
  });

  it("falls back to the status for an answer that is not the API's error shape", () => {
    expect(describeError(502, "<html>Bad gateway</html>", "The run could not be cancelled")).toEqual({
      message: "The run could not be cancelled (the server answered 502).",
      problems: [],
    });
  });
});

describe("other requests", () => {
  it("read a run's details and a cancellation", async () => {
    const detail = {
      id: "run_1",
      workflowId: "wf",
      status: "completed",
      scope: "full",
      requestedNodeIds: [],
      createdAt: "2026-11-27T10:00:00.000Z",
      startedAt: "2026-11-27T10:00:00.100Z",
      finishedAt: "2026-11-27T10:00:02.100Z",
      durationMs: 2_000,
      error: null,
      retryOfId: null,
      costUsd: 0.0123,
      nodes: [],
    };
    const read = await fetchRunDetail("run_1", answering(200, { run: detail }).send);
    expect(read.ok && read.value.finishedAt).toEqual(new Date("2026-11-27T10:00:02.100Z"));

    const refused = await cancelRun("run_1", answering(409, { error: { code: "run_finished", message: "This run already ended (completed); there is nothing to cancel." } }).send);
    expect(refused).toEqual({
      ok: false,
      message: "This run already ended (completed); there is nothing to cancel.",
      problems: [],
      status: 409,
    });
  });
});
