import { describe, expect, it } from "vitest";
import type { NodeRunView } from "~/components/flow/run-overlay";
import { withoutCacheLinks, withoutMediaPreviews } from "./run-view";

const view = (fields: Partial<NodeRunView>): NodeRunView => ({
  status: "success",
  error: null,
  preview: null,
  cost: null,
  outputs: null,
  durationMs: 10,
  startedAt: null,
  cached: false,
  cachedFromRunId: null,
  ...fields,
});

describe("withoutMediaPreviews", () => {
  it("drops the owner-only file URLs media nodes preview with, and keeps text previews", () => {
    const shown = withoutMediaPreviews(
      {
        crop: view({ preview: "/files/asset-1" }),
        summary: view({ status: "running", preview: "Meet the new" }),
        details: view({ preview: "Headphones" }),
      },
      [
        { nodeId: "crop", nodeType: "crop-image" },
        { nodeId: "summary", nodeType: "run-llm" },
        { nodeId: "details", nodeType: "text" },
      ],
    );
    expect(shown.crop).toEqual(view({ preview: null }));
    expect(shown.summary.preview).toBe("Meet the new");
    expect(shown.details.preview).toBe("Headphones");
  });
});

describe("withoutCacheLinks", () => {
  it("keeps a shared page's cached badge but drops the link to the run the visitor cannot see", () => {
    const shown = withoutCacheLinks({ llm: view({ cached: true, cachedFromRunId: "run_other" }), crop: view({}) });
    expect(shown.llm).toMatchObject({ cached: true, cachedFromRunId: null });
    expect(shown.crop).toMatchObject({ cached: false, cachedFromRunId: null });
  });
});
