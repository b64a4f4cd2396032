import { describe, expect, it } from "vitest";
import type { RunStatus } from "~workflow/run-progress";
import { canRetry, formatDuration, formatRunTime, runDuration, scopeLabel } from "./run-labels";
import { isFinishedRunStatus } from "~workflow/run-progress";

describe("scopeLabel", () => {
  it("names what a run covered, and calls every retry a retry", () => {
    expect(scopeLabel({ scope: "full", requestedNodeIds: [], retryOfId: null })).toBe("Full");
    expect(scopeLabel({ scope: "single", requestedNodeIds: ["a"], retryOfId: null })).toBe("Single");
    expect(scopeLabel({ scope: "selected", requestedNodeIds: ["a", "b"], retryOfId: null })).toBe("2 nodes");
    expect(scopeLabel({ scope: "selected", requestedNodeIds: ["a"], retryOfId: null })).toBe("1 node");
    expect(scopeLabel({ scope: "full", requestedNodeIds: [], retryOfId: "run_1" })).toBe("Retry");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 ms"],
    [420.4, "420 ms"],
    [1_000, "1.0 s"],
    [3_480, "3.4 s"],
    [12_900, "12 s"],
    [125_000, "2 min 05 s"],
    [3_720_000, "1 h 02 min"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("runDuration", () => {
  it("is the time so far for a run that goes, and nothing before it started", () => {
    const startedAt = new Date("2026-11-27T10:00:00Z");
    const now = new Date("2026-11-27T10:00:07Z");
    expect(runDuration({ startedAt, finishedAt: null }, now)).toBe(7_000);
    expect(runDuration({ startedAt, finishedAt: new Date("2026-11-27T10:00:02Z") }, now)).toBe(2_000);
    expect(runDuration({ startedAt: null, finishedAt: null }, now)).toBeNull();
  });
});

describe("formatRunTime", () => {
  const now = new Date("2026-11-27T15:00:00Z");
  it("shows the clock time for today's runs and the date for older ones", () => {
    expect(formatRunTime(new Date("2026-11-27T09:05:03Z"), now, "UTC")).toBe("09:05:03");
    expect(formatRunTime(new Date("2026-11-26T23:59:00Z"), now, "UTC")).toBe("26 Nov, 23:59:00");
    expect(formatRunTime(new Date("2025-03-02T08:00:00Z"), now, "UTC")).toBe("2 Mar 2025, 08:00:00");
  });

  it("decides what is today in the viewer's time zone", () => {
    // 23:30 UTC on the 26th is already the 27th in Tokyo, as is 10:00 UTC on the 27th.
    const morning = new Date("2026-11-27T10:00:00Z");
    expect(formatRunTime(new Date("2026-11-26T23:30:00Z"), morning, "Asia/Tokyo")).toBe("08:30:00");
    expect(formatRunTime(new Date("2026-11-26T23:30:00Z"), morning, "UTC")).toBe("26 Nov, 23:30:00");
  });
});

describe("run statuses", () => {
  it("offers a retry only where something did not succeed, once the run ended", () => {
    const statuses: RunStatus[] = ["completed", "partial", "failed", "cancelled", "running"];
    expect(statuses.filter(canRetry)).toEqual(["partial", "failed"]);
    expect(!isFinishedRunStatus("queued")).toBe(true);
    expect(!isFinishedRunStatus("running")).toBe(true);
    expect(!isFinishedRunStatus("cancelled")).toBe(false);
  });
});
