import { randomUUID } from "node:crypto";
import { auth, runs, tasks } from "@trigger.dev/sdk";
import type * as Sdk from "@trigger.dev/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db.server";
import { cancelRun, createRun } from "~/.server/models/run.server";
import { createWorkflow } from "~/.server/models/workflow.server";
import type { WorkflowEngine } from "./engine.server";
import { createTriggerEngine } from "./trigger-engine.server";
import { createTestUser } from "~test/users";

// Nothing reaches Trigger.dev: the SDK calls are stubbed (against an unreachable API the SDK
// would retry for seconds), and the test checks what the engine sends and returns.

vi.hoisted(() => {
  process.env.TRIGGER_API_URL = "https://trigger.example.test";
});

vi.mock("@trigger.dev/sdk", async (importOriginal) => {
  const sdk = await importOriginal<typeof Sdk>();
  return {
    ...sdk,
    tasks: { ...sdk.tasks, trigger: vi.fn() },
    runs: { ...sdk.runs, cancel: vi.fn() },
    auth: { ...sdk.auth, createPublicToken: vi.fn() },
  };
});

afterEach(() => {
  vi.resetAllMocks();
});

/** A queued run with its rows, as the API writes them before an engine hears of it. */
async function queuedRun() {
  const ownerId = await createTestUser("trigger-engine");
  const workflow = await createWorkflow(ownerId, {
    name: "Triggered",
    graph: { nodes: [{ id: "t", type: "text", position: { x: 0, y: 0 }, data: { text: "hi" } }], edges: [] },
  });
  const recordOnly: WorkflowEngine = {
    kind: "trigger",
    start: async () => ({ engineRunId: `run_${randomUUID()}`, accessToken: "unused", realtimeBaseUrl: null }),
    cancel: async () => {},
    createAccessToken: async () => "unused",
  };
  const created = await createRun(ownerId, workflow.id, { scope: "full" }, recordOnly);
  if (created.status !== "ok") throw new Error("The run was not created.");
  return { ownerId: ownerId, runId: created.started.run.id, engineRunId: created.started.realtime.engineRunId };
}

describe("the Trigger.dev engine", () => {
  it("starts a run by triggering execute-workflow with the run id, and hands back the run's token", async () => {
    vi.mocked(tasks.trigger).mockResolvedValue({
      id: "run_abc123",
      publicAccessToken: "pat_read_run_abc123",
      taskIdentifier: "execute-workflow",
    } as Awaited<ReturnType<typeof tasks.trigger>>);

    const handle = await createTriggerEngine().start("cm-run-1");

    expect(tasks.trigger).toHaveBeenCalledTimes(1);
    expect(tasks.trigger).toHaveBeenCalledWith(
      "execute-workflow",
      { runId: "cm-run-1" },
      { tags: ["weft-run:cm-run-1"], idempotencyKey: ["weft-run:cm-run-1"] },
      { publicAccessToken: { expirationTime: "15m" } },
    );
    expect(handle).toEqual({
      engineRunId: "run_abc123",
      accessToken: "pat_read_run_abc123",
      realtimeBaseUrl: "https://trigger.example.test",
    });
  });

  it("cancels the orchestrator run and ends the run's rows, even when it never started executing", async () => {
    const { ownerId, runId, engineRunId } = await queuedRun();

    const result = await cancelRun(ownerId, runId, createTriggerEngine());

    expect(runs.cancel).toHaveBeenCalledWith(engineRunId);
    expect(result).toMatchObject({ status: "ok", run: { status: "cancelled" } });
    const nodes = await db.nodeExecution.findMany({ where: { runId } });
    expect(nodes.map((row) => row.status)).toEqual(["cancelled"]);
  });

  it("ends the run's rows even when Trigger.dev refuses the cancellation, and reports the refusal", async () => {
    const { runId, engineRunId } = await queuedRun();
    vi.mocked(runs.cancel).mockRejectedValue(new Error("Run is already completed"));

    await expect(createTriggerEngine().cancel({ id: runId, engineRunId })).rejects.toThrow("Run is already completed");
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
  });

  it("ends a run that has no orchestrator yet without calling Trigger.dev", async () => {
    const { runId } = await queuedRun();

    await createTriggerEngine().cancel({ id: runId, engineRunId: null });

    expect(runs.cancel).not.toHaveBeenCalled();
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
  });

  it("mints a fresh token that may only read the one run, for 15 minutes", async () => {
    vi.mocked(auth.createPublicToken).mockResolvedValue("pat_fresh");

    await expect(createTriggerEngine().createAccessToken("run_abc123")).resolves.toBe("pat_fresh");
    expect(auth.createPublicToken).toHaveBeenCalledWith({
      scopes: { read: { runs: ["run_abc123"] } },
      expirationTime: "15m",
    });
  });
});
