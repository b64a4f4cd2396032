import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunProgress } from "~workflow/run-progress";
import { RunEvents } from "./run-events.server";

function progress(status: RunProgress["status"]): RunProgress {
  return { version: 1, runId: "r1", status, startedAt: null, finishedAt: null, nodes: {}, error: null };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("RunEvents", () => {
  it("keeps the latest progress and notifies watchers of every report", () => {
    const events = new RunEvents();
    events.open("run_a");
    expect(events.get("run_a")).toEqual({ engineRunId: "run_a", progress: null, version: 0, finished: false });

    const seen: string[] = [];
    const unsubscribe = events.subscribe("run_a", (snapshot) => seen.push(`${snapshot.version}:${snapshot.progress?.status}`));
    events.publish("run_a", progress("running"));
    events.publish("run_a", progress("running"));
    unsubscribe();
    events.publish("run_a", progress("completed"));

    expect(seen).toEqual(["1:running", "2:running"]);
    expect(events.get("run_a")).toMatchObject({ version: 3, finished: true, progress: { status: "completed" } });
  });

  it("answers a long poll at once when there is something newer, else at the next report", async () => {
    const events = new RunEvents();
    events.publish("run_a", progress("running"));
    const never = new AbortController().signal;

    expect(await events.waitForUpdate("run_a", 0, never)).toMatchObject({ version: 1 });

    const waiting = events.waitForUpdate("run_a", 1, never);
    events.publish("run_a", progress("completed"));
    expect(await waiting).toMatchObject({ version: 2, finished: true });
  });

  it("gives the unchanged state when the poll is aborted, and nothing for unknown runs", async () => {
    const events = new RunEvents();
    events.publish("run_a", progress("running"));
    const controller = new AbortController();
    const waiting = events.waitForUpdate("run_a", 1, controller.signal);
    controller.abort();
    expect(await waiting).toMatchObject({ version: 1, finished: false });

    expect(await events.waitForUpdate("run_unknown", 0, new AbortController().signal)).toBeUndefined();
    // Watching an unknown run creates nothing that would have to be cleaned up.
    events.subscribe("run_unknown", () => {});
    expect(events.get("run_unknown")).toBeUndefined();
  });

  it("drops a finished run's state after the retention time", () => {
    vi.useFakeTimers();
    const events = new RunEvents({ retainFinishedMs: 1_000 });
    events.publish("run_a", progress("running"));
    vi.advanceTimersByTime(5_000);
    expect(events.get("run_a")).toBeDefined();

    events.publish("run_a", progress("failed"));
    vi.advanceTimersByTime(999);
    expect(events.get("run_a")?.finished).toBe(true);
    vi.advanceTimersByTime(1);
    expect(events.get("run_a")).toBeUndefined();
  });

  it("keeps at most maxFinished finished runs, dropping the oldest first", () => {
    const events = new RunEvents({ maxFinished: 2 });
    events.publish("run_running", progress("running"));
    for (const id of ["run_1", "run_2", "run_3"]) events.publish(id, progress("completed"));
    expect(events.get("run_1")).toBeUndefined();
    expect(events.get("run_2")).toBeDefined();
    expect(events.get("run_3")).toBeDefined();
    expect(events.get("run_running")).toBeDefined();
    expect(events.size).toBe(3);
  });
});

describe("RunEvents text stream", () => {
  const chunk = (text: string, offset = 0) => ({ nodeId: "llm", offset, text });

  it("keeps a running run's chunks in order and wakes whoever waits for the next", async () => {
    const events = new RunEvents();
    events.open("run_a");
    const never = new AbortController().signal;
    const waiting = events.waitForText("run_a", 0, never);
    events.appendText("run_a", chunk("Hel"));
    await waiting;
    events.appendText("run_a", chunk("lo", 3));
    expect(events.textLog("run_a")).toEqual({ chunks: [chunk("Hel"), chunk("lo", 3)], finished: false });

    // Already more than the caller has: at once.
    await events.waitForText("run_a", 1, never);
    const untilEnd = events.waitForText("run_a", 2, never);
    events.publish("run_a", progress("completed"));
    await untilEnd;
    expect(events.textLog("run_a")?.finished).toBe(true);
    // A finished run's stream takes nothing more.
    events.appendText("run_a", chunk("late"));
    expect(events.textLog("run_a")?.chunks).toHaveLength(2);
  });

  it("has no stream for unknown runs, and wakes waiters when a run is dropped or the wait aborted", async () => {
    const events = new RunEvents();
    events.appendText("run_unknown", chunk("lost"));
    expect(events.textLog("run_unknown")).toBeUndefined();

    events.open("run_a");
    const waiting = events.waitForText("run_a", 0, new AbortController().signal);
    events.close("run_a");
    await waiting;

    events.open("run_b");
    const controller = new AbortController();
    const aborted = events.waitForText("run_b", 0, controller.signal);
    controller.abort();
    await aborted;
  });

  it("stops keeping text past maxTextChars", () => {
    const events = new RunEvents({ maxTextChars: 5 });
    events.open("run_a");
    events.appendText("run_a", chunk("four"));
    events.appendText("run_a", chunk("more", 4));
    expect(events.textLog("run_a")?.chunks).toEqual([chunk("four")]);
  });
});
