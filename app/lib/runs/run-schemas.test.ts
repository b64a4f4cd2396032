import { describe, expect, it } from "vitest";
import { createRunStore } from "~/.server/engine/run-store.server";
import { createRun, getRunForOwner, listRuns } from "~/.server/models/run.server";
import { startRunResponse } from "~/.server/run-responses.server";
import { createTestWorkflow, RecordingEngine } from "~test/run-fixtures";
import { createTestUser } from "~test/users";
import { edge, graphOf, llm, node } from "~workflow/test-support";
import { RunDetailSchema, RunsPageSchema, StartedRunSchema } from "./run-schemas";

// The browser parses the run API with these schemas; here they read what the server really
// produces, so a change on either side that the other does not follow fails.

const graph = graphOf(
  [node("photo", "upload-image", { assetId: null }), node("prompt", "text", { text: "Describe" }), llm("answer")],
  [edge("prompt", "text", "answer", "user_message"), edge("photo", "image", "answer", "images")],
);

const photo = { kind: "image" as const, assetId: "asset_1", url: "/files/asset_1", mime: "image/png", sha256: "ab".repeat(32) };

async function startedRun() {
  const owner = await createTestUser("run-api");
  const workflowId = await createTestWorkflow(owner, graph);
  const result = await createRun(owner, workflowId, { scope: "full" }, new RecordingEngine());
  if (result.status !== "ok") throw new Error(`the run did not start: ${JSON.stringify(result)}`);
  return { owner, workflowId, result };
}

describe("run API schemas", () => {
  it("read a run's details, with text, media and list values, as JSON and as a loader hands them over", async () => {
    const { owner, result } = await startedRun();
    const runId = result.started.run.id;
    const store = createRunStore(runId);
    await store.recordNode({ runId, nodeId: "photo", status: "success", outputs: { image: photo }, finishedAt: new Date().toISOString() });
    await store.recordNode({
      runId,
      nodeId: "answer",
      status: "success",
      inputs: { user_message: "Describe", images: [photo] },
      outputs: { output: "A photo." },
      startedAt: new Date(Date.now() - 1_500).toISOString(),
      finishedAt: new Date().toISOString(),
      durationMs: 1_500,
    });

    const detail = await getRunForOwner(owner, runId);
    const overJson = RunDetailSchema.parse(JSON.parse(JSON.stringify(detail)));
    // Every field the browser reads holds what the server sent (fields it does not read are dropped).
    expect(detail).toMatchObject(overJson);
    expect(RunDetailSchema.parse(detail)).toEqual(overJson);
    expect(overJson.nodes.find((entry) => entry.nodeId === "answer")?.inputs).toEqual({ user_message: "Describe", images: [photo] });
  });

  it("read a page of history and the answer that starts a run", async () => {
    const { owner, workflowId, result } = await startedRun();
    const page = await listRuns(owner, workflowId, { limit: 20 });
    expect(RunsPageSchema.parse(JSON.parse(JSON.stringify(page))).runs.map((run) => run.id)).toEqual([result.started.run.id]);

    const response = startRunResponse(new Request("http://weft.test/api/workflows/x/runs", { method: "POST" }), result);
    const started = StartedRunSchema.parse(await response.json());
    expect(started.run).toEqual({ id: result.started.run.id, status: "queued", scope: "full" });
    expect(started.realtime.baseURL).toBe("http://weft.test");
  });
});
