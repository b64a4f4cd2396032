import { describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { createRun } from "~/.server/models/run.server";
import { createTestWorkflow, RecordingEngine } from "~test/run-fixtures";
import { createTestUser } from "~test/users";
import { graphOf, node } from "~workflow/test-support";
import { runRealtimeAccess } from "./run-realtime.server";

const graph = graphOf([node("prompt", "text", { text: "Hello" })]);

async function startedRun(engine: RecordingEngine) {
  const owner = await createTestUser("realtime-access");
  const workflowId = await createTestWorkflow(owner, graph);
  const result = await createRun(owner, workflowId, { scope: "full" }, engine);
  if (result.status !== "ok") throw new Error("the run did not start");
  return { owner, run: result.started };
}

describe("runRealtimeAccess", () => {
  it("gives the owner a fresh token for the engine's run, served by the app itself in embedded mode", async () => {
    const engine = new RecordingEngine();
    const { owner, run } = await startedRun(engine);
    await expect(runRealtimeAccess(owner, run.run.id, engine)).resolves.toEqual({
      status: "ok",
      engineRunId: run.realtime.engineRunId,
      accessToken: `token-for-${run.realtime.engineRunId}`,
      realtimeBaseUrl: null,
    });
  });

  it("answers another user's run like a missing one", async () => {
    const engine = new RecordingEngine();
    const { run } = await startedRun(engine);
    const stranger = await createTestUser("realtime-stranger");
    await expect(runRealtimeAccess(stranger, run.run.id, engine)).resolves.toEqual({ status: "not_found" });
    await expect(runRealtimeAccess(stranger, "no-such-run", engine)).resolves.toEqual({ status: "not_found" });
  });

  it("says when the engine never took the run", async () => {
    const engine = new RecordingEngine();
    const { owner, run } = await startedRun(engine);
    await db.workflowRun.update({ where: { id: run.run.id }, data: { engineRunId: null } });
    await expect(runRealtimeAccess(owner, run.run.id, engine)).resolves.toEqual({ status: "not_started" });
  });
});
