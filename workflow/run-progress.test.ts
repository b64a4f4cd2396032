import { describe, expect, it } from "vitest";
import { compactRunProgress, readRunProgress, RUN_PROGRESS_METADATA_KEY, type RunProgress } from "./run-progress";

const progress: RunProgress = {
  version: 1,
  runId: "run-1",
  status: "running",
  startedAt: "2026-12-07T10:00:00.000Z",
  finishedAt: null,
  error: null,
  nodes: {
    waiting: { status: "queued", startedAt: null, finishedAt: null, durationMs: null, preview: null, error: null, cached: false, cachedFromRunId: null },
    done: {
      status: "success",
      startedAt: "2026-12-07T10:00:01.000Z",
      finishedAt: "2026-12-07T10:00:02.500Z",
      durationMs: 1500,
      preview: "",
      error: null,
      cached: true,
      cachedFromRunId: "run-0",
    },
  },
};

describe("compactRunProgress", () => {
  it("leaves out each node's fields that hold their default, and nothing else", () => {
    const compact = compactRunProgress(progress);
    expect(compact.nodes.waiting).toEqual({ status: "queued" });
    // An empty preview is not a missing one: only defaults go.
    expect(compact.nodes.done).toEqual({
      status: "success",
      startedAt: "2026-12-07T10:00:01.000Z",
      finishedAt: "2026-12-07T10:00:02.500Z",
      durationMs: 1500,
      preview: "",
      cached: true,
      cachedFromRunId: "run-0",
    });
  });

  it("reads back as the same progress after travelling as JSON", () => {
    const travelled: unknown = JSON.parse(JSON.stringify({ [RUN_PROGRESS_METADATA_KEY]: compactRunProgress(progress) }));
    expect(readRunProgress(travelled)).toEqual(progress);
  });

  it("makes a large run's update several times smaller while its nodes wait", () => {
    const nodes = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`node-${index}`, progress.nodes.waiting]));
    const large = { ...progress, nodes };
    expect(JSON.stringify(compactRunProgress(large)).length).toBeLessThan(JSON.stringify(large).length / 4);
  });
});
