import { describe, expect, it } from "vitest";
import { PREVIEW_MAX_CHARS, RunProgressSchema } from "~workflow/run-progress";
import { progressFromRecords, type NodeRecord } from "./progress-from-records.server";

const T0 = new Date("2026-11-27T10:00:00.000Z");
const T1 = new Date("2026-11-27T10:00:01.000Z");
const T2 = new Date("2026-11-27T10:00:03.000Z");

function node(fields: Partial<NodeRecord> & Pick<NodeRecord, "nodeId" | "nodeType" | "status">): NodeRecord {
  return { outputs: null, error: null, startedAt: null, finishedAt: null, durationMs: null, cachedFromExecutionId: null, cachedFromRunId: null, ...fields };
}

describe("progressFromRecords", () => {
  it("rebuilds a finished run as the engine publishes it", () => {
    const progress = progressFromRecords({ id: "wr_1", status: "partial", startedAt: T0, finishedAt: T2, error: null }, [
      node({ nodeId: "prompt", nodeType: "text", status: "success", outputs: { text: "Describe" }, startedAt: T0, finishedAt: T1, durationMs: 1000 }),
      node({ nodeId: "llm", nodeType: "run-llm", status: "failed", error: "Gemini said no", startedAt: T1, finishedAt: T2, durationMs: 2000 }),
      node({ nodeId: "crop", nodeType: "crop-image", status: "skipped" }),
    ]);
    expect(RunProgressSchema.parse(progress)).toEqual(progress);
    expect(progress).toEqual({
      version: 1,
      runId: "wr_1",
      status: "partial",
      startedAt: T0.toISOString(),
      finishedAt: T2.toISOString(),
      error: null,
      nodes: {
        prompt: { status: "success", startedAt: T0.toISOString(), finishedAt: T1.toISOString(), durationMs: 1000, preview: "Describe", error: null, cached: false, cachedFromRunId: null },
        llm: { status: "failed", startedAt: T1.toISOString(), finishedAt: T2.toISOString(), durationMs: 2000, preview: null, error: "Gemini said no", cached: false, cachedFromRunId: null },
        crop: { status: "skipped", startedAt: null, finishedAt: null, durationMs: null, preview: null, error: null, cached: false, cachedFromRunId: null },
      },
    });
  });

  it("previews media by URL and cuts long text to the preview limit", () => {
    const image = { kind: "image", assetId: "a1", url: "/media/a1", mime: "image/png", sha256: "x" } as const;
    const progress = progressFromRecords({ id: "wr_1", status: "completed", startedAt: T0, finishedAt: T2, error: null }, [
      node({ nodeId: "llm", nodeType: "run-llm", status: "success", outputs: { output: "word ".repeat(500) } }),
      node({ nodeId: "crop", nodeType: "crop-image", status: "success", outputs: { output: image } }),
    ]);
    expect(progress.nodes.llm.preview!.length).toBeLessThanOrEqual(PREVIEW_MAX_CHARS);
    expect(progress.nodes.llm.preview!.endsWith("…")).toBe(true);
    expect(progress.nodes.crop.preview).toBe("/media/a1");
    expect(RunProgressSchema.safeParse(progress).success).toBe(true);
  });

  it("leaves an unfinished run without a finish time, even if a row has one", () => {
    const progress = progressFromRecords({ id: "wr_1", status: "running", startedAt: T0, finishedAt: T2, error: null }, [
      node({ nodeId: "llm", nodeType: "run-llm", status: "running", startedAt: T1 }),
    ]);
    expect(progress.status).toBe("running");
    expect(progress.finishedAt).toBeNull();
    expect(progress.nodes.llm).toMatchObject({ status: "running", startedAt: T1.toISOString(), preview: null });
  });
});
