import { randomUUID } from "node:crypto";
import { auth, runs, tasks } from "@trigger.dev/sdk";
import type * as Sdk from "@trigger.dev/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db.server";
import { cancelRun, createRun, getRunForOwner } from "~/.server/models/run.server";
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
    runs: { ...sdk.runs, cancel: vi.fn(), retrieve: vi.fn() },
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
      // An explicit TTL: without one, development runs expire on the platform's default.
      { tags: ["weft-run:cm-run-1"], idempotencyKey: ["weft-run:cm-run-1"], ttl: "1h" },
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

  it("gives browsers TRIGGER_PUBLIC_API_URL when set (a self-hosted instance's internal TRIGGER_API_URL stays with the app)", async () => {
    vi.resetModules();
    vi.stubEnv("TRIGGER_PUBLIC_API_URL", "https://trigger.public.example.test");
    try {
      const fresh = await import("./trigger-engine.server");
      expect(fresh.triggerRealtimeBaseUrl()).toBe("https://trigger.public.example.test");
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

/** What `runs.retrieve` answers, with only the fields the engine reads. */
function retrieved(status: string, error?: string) {
  return { id: "run_x", status, error: error ? { message: error } : undefined } as unknown as Awaited<ReturnType<typeof runs.retrieve>>;
}

describe("reconciling a run whose orchestrator ended without recording it", () => {
  it.each([
    ["CRASHED", "Out of memory", /^The run's orchestrator crashed \(out of memory, or its process died\): Out of memory$/],
    ["EXPIRED", undefined, /^The run never started: Trigger.dev expired it/],
    ["TIMED_OUT", undefined, /^The run took longer than its maximum duration/],
  ])("ends the rows of a run whose orchestrator is %s, saying why", async (status, error, message) => {
    const { runId, engineRunId } = await queuedRun();
    vi.mocked(runs.retrieve).mockResolvedValue(retrieved(status, error));

    await expect(createTriggerEngine().reconcile!({ id: runId, engineRunId })).resolves.toBe(true);

    expect(runs.retrieve).toHaveBeenCalledWith(engineRunId);
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { nodeExecutions: true } });
    expect(run).toMatchObject({ status: "failed", error: expect.stringMatching(message), finishedAt: expect.any(Date) });
    expect(run.nodeExecutions.map((row) => row.status)).toEqual(["cancelled"]);
  });

  it("leaves a run whose orchestrator is still queued or executing", async () => {
    const { runId, engineRunId } = await queuedRun();
    vi.mocked(runs.retrieve).mockResolvedValue(retrieved("EXECUTING"));

    await expect(createTriggerEngine().reconcile!({ id: runId, engineRunId })).resolves.toBe(false);
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("queued");
  });

  it("is what reading an unfinished run does: the detail shows the end the orchestrator never wrote", async () => {
    const { ownerId, runId } = await queuedRun();
    vi.mocked(runs.retrieve).mockResolvedValue(retrieved("SYSTEM_FAILURE"));

    const detail = await getRunForOwner(ownerId, runId, createTriggerEngine());

    expect(detail).toMatchObject({ status: "failed", error: expect.stringMatching(/^Trigger.dev failed to run the orchestrator/) });
    // A finished run is not asked about again.
    await getRunForOwner(ownerId, runId, createTriggerEngine());
    expect(runs.retrieve).toHaveBeenCalledTimes(1);
  });

  it("shows the rows as they are when Trigger.dev cannot be reached", async () => {
    const { ownerId, runId } = await queuedRun();
    vi.mocked(runs.retrieve).mockRejectedValue(new Error("fetch failed"));
    vi.spyOn(console, "warn").mockImplementation(() => {});

    await expect(getRunForOwner(ownerId, runId, createTriggerEngine())).resolves.toMatchObject({ status: "queued" });
  });
});
