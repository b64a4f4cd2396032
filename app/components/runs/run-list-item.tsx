import { memo, useId, useState } from "react";
import type { RunSummary } from "~/lib/runs/run-schemas";
import { formatDuration, formatRunTime, runDuration, scopeLabel } from "~/lib/runs/run-labels";
import { formatUsd } from "~workflow/cost/usage";
import { RunDetails } from "./run-details";
import { RunStatusBadge } from "./status-badge";
import { useHydrated } from "./use-clock";

/**
 * One run in the history: when, how it ended, how long it took, what it covered; click for its nodes.
 * Memoised: while a run goes, its progress replaces only its own entry, and the other rows need
 * not be drawn again on each update.
 */
export const RunListItem = memo(function RunListItem({ run, now }: { run: RunSummary; now: Date }) {
  const [expanded, setExpanded] = useState(false);
  const hydrated = useHydrated();
  const detailsId = useId();
  const duration = runDuration(run, now);
  return (
    <li
      data-run-id={run.id}
      className={`rounded-lg border ${expanded ? "border-[#3a3a4c] bg-panel-2/60" : "border-transparent hover:border-line hover:bg-panel-2/50"}`}
    >
      <button
        type="button"
        aria-expanded={expanded}
        aria-controls={detailsId}
        onClick={() => setExpanded((value) => !value)}
        className="flex w-full items-center gap-2 px-2.5 py-2 text-left"
      >
        <span aria-hidden className="w-3 shrink-0 text-[10px] text-zinc-500">
          {expanded ? "▾" : "▸"}
        </span>
        {/* The viewer's clock, so only once hydrated: the server does not know their time zone. */}
        <time dateTime={run.createdAt.toISOString()} className="w-28 shrink-0 truncate text-[12px] tabular-nums text-zinc-300">
          {hydrated ? formatRunTime(run.createdAt, now) : " "}
        </time>
        <RunStatusBadge status={run.status} />
        <span className="ml-auto flex shrink-0 flex-col items-end text-[11px] leading-tight">
          <span className="text-zinc-300">{scopeLabel(run)}</span>
          <span className="tabular-nums text-zinc-500">
            {duration === null ? "—" : formatDuration(duration)}
            {run.costUsd > 0 ? ` · ${formatUsd(run.costUsd)}` : ""}
          </span>
        </span>
      </button>
      {expanded ? (
        <div id={detailsId} className="border-t border-line px-2.5 pb-3 pt-2">
          <RunDetails run={run} />
        </div>
      ) : null}
    </li>
  );
});
