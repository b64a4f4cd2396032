import { useEffect, useRef, useState } from "react";
import { useRunController, useRuns, useRunsActions } from "./runs-context";
import { RunListItem } from "./run-list-item";
import { useNow } from "./use-clock";
import { isFinishedRunStatus } from "~workflow/run-progress";

/**
 * The right sidebar: the workflow's runs, newest first. Older pages load as the end of the list
 * scrolls into view. The run followed live updates here as it goes.
 */
export function HistoryPanel() {
  const open = useRuns((state) => state.panelOpen);
  const runs = useRuns((state) => state.runs);
  const nextCursor = useRuns((state) => state.nextCursor);
  const loadingMore = useRuns((state) => state.loadingMore);
  const { setPanelOpen } = useRunsActions();
  const controller = useRunController();
  const scrollRef = useRef<HTMLDivElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const now = useNow(runs.some((run) => !isFinishedRunStatus(run.status)));

  const loadMore = async () => {
    const result = await controller?.loadMore();
    setLoadError(result && !result.ok ? result.message : null);
  };
  const loadMoreRef = useRef(loadMore);
  useEffect(() => {
    loadMoreRef.current = loadMore;
  });

  // Observed afresh after every page: if the end of the list is still in view, the next page follows.
  useEffect(() => {
    const end = endRef.current;
    if (!end || nextCursor === null || loadError !== null) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMoreRef.current();
      },
      { root: scrollRef.current, rootMargin: "200px 0px" },
    );
    observer.observe(end);
    return () => observer.disconnect();
  }, [nextCursor, runs.length, loadError, open]);

  if (!open) return null;

  return (
    <aside aria-label="History" className="flex w-80 shrink-0 flex-col border-l border-line bg-panel">
      <div className="flex items-center justify-between px-3 pb-2 pt-3">
        <h2 className="text-xs font-semibold uppercase tracking-wider text-zinc-500">History</h2>
        <button
          type="button"
          aria-label="Hide history"
          onClick={() => setPanelOpen(false)}
          className="flex h-7 w-7 items-center justify-center rounded-md text-zinc-400 hover:bg-panel-2 hover:text-zinc-100"
        >
          »
        </button>
      </div>
      <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {runs.length === 0 ? (
          <p className="px-2 py-6 text-center text-sm text-zinc-500">No runs yet. Run the workflow to see its history here.</p>
        ) : (
          <ol aria-label="Runs" className="flex flex-col gap-1.5">
            {runs.map((run) => (
              <RunListItem key={run.id} run={run} now={now} />
            ))}
          </ol>
        )}
        <div ref={endRef} className="px-2 pt-2 text-center text-xs text-zinc-500">
          {loadingMore ? <p role="status">Loading older runs…</p> : null}
          {loadError ? (
            <div role="alert" className="flex flex-col items-center gap-1.5 text-red-300">
              <p>{loadError}</p>
              <button
                type="button"
                onClick={() => void loadMore()}
                className="rounded-md border border-line px-2.5 py-1 text-zinc-200 hover:bg-panel-2"
              >
                Try again
              </button>
            </div>
          ) : null}
          {nextCursor === null && runs.length > 0 ? <p>That’s every run.</p> : null}
        </div>
      </div>
    </aside>
  );
}
