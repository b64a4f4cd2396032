import type { NodeStatus, RunStatus } from "~workflow/run-progress";
import type { RunSummary } from "./run-schemas";

// The words and numbers the editor shows for runs, in one place so the history, the node
// overlay and the run page say the same thing.

/** "Full", "2 nodes", "Single"; a retry says "Retry" whatever it retried. */
export function scopeLabel(run: Pick<RunSummary, "scope" | "requestedNodeIds" | "retryOfId">): string {
  if (run.retryOfId !== null) return "Retry";
  switch (run.scope) {
    case "full":
      return "Full";
    case "single":
      return "Single";
    case "selected":
      return run.requestedNodeIds.length === 1 ? "1 node" : `${run.requestedNodeIds.length} nodes`;
  }
}

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  idle: "Idle",
  queued: "Queued",
  running: "Running",
  completed: "Completed",
  partial: "Partial",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const NODE_STATUS_LABELS: Record<NodeStatus, string> = {
  idle: "Idle",
  queued: "Queued",
  running: "Running",
  success: "Succeeded",
  failed: "Failed",
  skipped: "Skipped",
  cancelled: "Cancelled",
};

/** Colour family of a status badge: success green, failure red, partial yellow, running purple, the rest grey. */
export type StatusTone = "success" | "failure" | "partial" | "running" | "neutral";

export const RUN_STATUS_TONES: Record<RunStatus, StatusTone> = {
  idle: "neutral",
  queued: "neutral",
  running: "running",
  completed: "success",
  partial: "partial",
  failed: "failure",
  cancelled: "neutral",
};

export const NODE_STATUS_TONES: Record<NodeStatus, StatusTone> = {
  idle: "neutral",
  queued: "neutral",
  running: "running",
  success: "success",
  failed: "failure",
  skipped: "neutral",
  cancelled: "neutral",
};

/** Only runs where something did not succeed have anything to retry. */
export function canRetry(status: RunStatus): boolean {
  return status === "partial" || status === "failed";
}

/** "420 ms", "3.4 s", "12 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** How long a run took, or has been going so far (`now`) when it has not finished. */
export function runDuration(run: Pick<RunSummary, "startedAt" | "finishedAt">, now: Date): number | null {
  if (!run.startedAt) return null;
  return (run.finishedAt ?? now).getTime() - run.startedAt.getTime();
}

/**
 * When a run was started, as the history lists it: the clock time for today's runs, the date
 * and time for older ones. `timeZone` is the viewer's unless given (tests fix it).
 */
export function formatRunTime(date: Date, now: Date, timeZone?: string): string {
  const formats = runTimeFormats(timeZone);
  const time = formats.time.format(date);
  if (formats.day.format(date) === formats.day.format(now)) return time;
  const dateText = (formats.year.format(date) === formats.year.format(now) ? formats.dayMonth : formats.dayMonthYear).format(date);
  return `${dateText}, ${time}`;
}

interface RunTimeFormats {
  day: Intl.DateTimeFormat;
  year: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  dayMonth: Intl.DateTimeFormat;
  dayMonthYear: Intl.DateTimeFormat;
}

// Made once per time zone: building a formatter costs far more than formatting, and the history
// formats every row's time again each second while a run goes.
const runTimeFormatsByZone = new Map<string | undefined, RunTimeFormats>();

function runTimeFormats(timeZone: string | undefined): RunTimeFormats {
  let formats = runTimeFormatsByZone.get(timeZone);
  if (!formats) {
    formats = {
      day: new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
      year: new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }),
      time: new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit" }),
      dayMonth: new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short" }),
      dayMonthYear: new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric" }),
    };
    runTimeFormatsByZone.set(timeZone, formats);
  }
  return formats;
}
