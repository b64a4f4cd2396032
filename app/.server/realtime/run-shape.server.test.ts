import { SubscribeRunRawShape } from "@trigger.dev/core/v3";
import { describe, expect, it } from "vitest";
import { readRunProgress, type RunProgress, type RunStatus } from "~workflow/run-progress";
import { clientPosition, runShapeRow, shapeHeaders, shapeMessages, ShapeQuerySchema } from "./run-shape.server";

const CREATED_AT = new Date("2026-11-27T10:00:00.000Z");

function progress(overrides: Partial<RunProgress> = {}): RunProgress {
  return {
    version: 1,
    runId: "wr_1",
    status: "running",
    startedAt: "2026-11-27T10:00:01.000Z",
    finishedAt: null,
    nodes: {
      prompt: { status: "success", startedAt: "2026-11-27T10:00:01.000Z", finishedAt: "2026-11-27T10:00:02.000Z", durationMs: 1000, preview: "Hi", error: null, cached: false, cachedFromRunId: null },
      llm: { status: "running", startedAt: "2026-11-27T10:00:02.500Z", finishedAt: null, durationMs: null, preview: "Once upon", error: null, cached: false, cachedFromRunId: null },
    },
    error: null,
    ...overrides,
  };
}

/**
 * The row as the SDK reads it: Electric's client decodes the text[] column (plain elements only
 * here; the contract test runs the real decoder), then the SDK's own zod schema and the metadata.
 */
function asSdkReadsIt(row: ReturnType<typeof runShapeRow>) {
  const realtimeStreams = row.realtimeStreams === null ? null : row.realtimeStreams.slice(1, -1).split(",");
  const parsed = SubscribeRunRawShape.parse({ ...row, realtimeStreams });
  return { ...parsed, metadata: row.metadata === null ? undefined : (JSON.parse(row.metadata) as unknown) };
}

describe("runShapeRow", () => {
  it("encodes a running run as an EXECUTING task run whose metadata holds the progress", () => {
    const row = runShapeRow({ engineRunId: "run_abc", createdAt: CREATED_AT, progress: progress() });
    expect(row).toMatchObject({
      id: "run_abc",
      friendlyId: "run_abc",
      taskIdentifier: "execute-workflow",
      status: "EXECUTING",
      createdAt: "2026-11-27T10:00:00.000",
      // The last thing that happened: the LLM node starting.
      updatedAt: "2026-11-27T10:00:02.500",
      startedAt: "2026-11-27T10:00:01.000",
      completedAt: null,
      metadataType: "application/json",
    });
    const read = asSdkReadsIt(row);
    expect(read.createdAt).toEqual(CREATED_AT);
    expect(read.completedAt).toBeNull();
    expect(readRunProgress(read.metadata)).toEqual(progress());
    // Every run lists its LLM text stream, so the hook opens it.
    expect(read.realtimeStreams).toEqual(["llm-text"]);
  });

  it.each<[RunStatus, string]>([
    ["idle", "PENDING"],
    ["queued", "PENDING"],
    ["running", "EXECUTING"],
  ])("maps an unfinished %s run to %s without a completion time", (status, taskRunStatus) => {
    const row = runShapeRow({ engineRunId: "run_abc", createdAt: CREATED_AT, progress: progress({ status }) });
    expect(row.status).toBe(taskRunStatus);
    expect(row.completedAt).toBeNull();
  });

  it.each<[RunStatus, string]>([
    ["completed", "COMPLETED_SUCCESSFULLY"],
    ["partial", "COMPLETED_SUCCESSFULLY"],
    ["failed", "COMPLETED_SUCCESSFULLY"],
    ["cancelled", "CANCELED"],
  ])("gives a finished %s run the task status %s and a completion time", (status, taskRunStatus) => {
    const finishedAt = "2026-11-27T10:00:09.000Z";
    const row = runShapeRow({ engineRunId: "run_abc", createdAt: CREATED_AT, progress: progress({ status, finishedAt }) });
    expect(row.status).toBe(taskRunStatus);
    expect(asSdkReadsIt(row).completedAt).toEqual(new Date(finishedAt));
  });

  it("still marks a finished run complete when its progress lacks a finish time", () => {
    const row = runShapeRow({ engineRunId: "run_abc", createdAt: CREATED_AT, progress: progress({ status: "failed" }) });
    expect(row.completedAt).toBe(row.updatedAt);
  });

  it("uses the creation time as the update time of a run that has not started", () => {
    const row = runShapeRow({ engineRunId: "run_abc", createdAt: CREATED_AT, progress: progress({ status: "queued", startedAt: null, nodes: {} }) });
    expect(row.updatedAt).toBe("2026-11-27T10:00:00.000");
    expect(row.startedAt).toBeNull();
  });
});

describe("shapeMessages", () => {
  it("sends the row, then up-to-date", () => {
    const row = runShapeRow({ engineRunId: "run_abc", createdAt: CREATED_AT, progress: progress() });
    expect(shapeMessages(row, "insert")).toEqual([
      { key: '"public"."TaskRun"/"run_abc"', value: row, headers: { operation: "insert" } },
      { headers: { control: "up-to-date" } },
    ]);
  });

  it("sends only up-to-date when nothing changed", () => {
    expect(shapeMessages(null, "update")).toEqual([{ headers: { control: "up-to-date" } }]);
  });
});

describe("shape query and headers", () => {
  it("reads a first request and a live one", () => {
    const first = ShapeQuerySchema.parse({ offset: "-1", log: "full" });
    expect(first).toEqual({ offset: null, live: false });
    expect(clientPosition(first)).toBeNull();

    const live = ShapeQuerySchema.parse({ offset: "12_0", handle: "h", live: "true", cursor: "1" });
    expect(live).toEqual({ offset: 12, handle: "h", live: true });
    expect(clientPosition(live)).toEqual({ handle: "h", version: 12 });
  });

  it("refuses offsets that are not Electric's", () => {
    expect(ShapeQuerySchema.safeParse({ offset: "abc" }).success).toBe(false);
    expect(ShapeQuerySchema.safeParse({}).success).toBe(false);
  });

  it("describes every column of the row in electric-schema, and sends what the client requires", () => {
    const headers = shapeHeaders({ handle: "h", version: 3 });
    const row = runShapeRow({ engineRunId: "run_abc", createdAt: CREATED_AT, progress: progress() });
    expect(Object.keys(JSON.parse(headers.get("electric-schema")!)).sort()).toEqual(Object.keys(row).sort());
    expect(headers.get("electric-handle")).toBe("h");
    expect(headers.get("electric-offset")).toBe("3_0");
    expect(headers.has("electric-cursor")).toBe(true);
    expect(headers.has("electric-up-to-date")).toBe(true);
  });
});

describe("readRunProgress", () => {
  it("finds nothing in a run that has not reported, or whose metadata holds something else", () => {
    expect(readRunProgress(undefined)).toBeNull();
    expect(readRunProgress({})).toBeNull();
    expect(readRunProgress({ progress: { status: "running" } })).toBeNull();
  });
});
