import { Link, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { NodeDetailsList, nodeDetailsId } from "~/components/runs/node-details";
import { RealtimeRunFeed } from "~/components/runs/realtime-run-feed";
import { RunStatusBadge } from "~/components/runs/status-badge";
import { useHydrated, useNow } from "~/components/runs/use-clock";
import { formatRelativeTime } from "~/lib/relative-time";
import type { RunProgress } from "~workflow/run-progress";
import { tokenRenewalDelayMs } from "~/lib/runs/access-token";
import type { NodeTexts } from "~/lib/llm-text-stream";
import { nodeRunViews } from "~/lib/runs/node-run-view";
import type { RealtimeAccess } from "~/lib/runs/run-schemas";
import { formatDuration, scopeLabel } from "~/lib/runs/run-labels";
import { formatUsd } from "~workflow/cost/usage";
import { formatUtc } from "./format";
import { RunCanvas } from "./run-canvas";
import { withoutCacheLinks, withoutMediaPreviews, type RunPageData } from "./run-view";
import { ShareControls } from "./share-controls";
import { isFinishedRunStatus } from "~workflow/run-progress";

/** How often to look again while the run's end is known live but not yet in the page's data. */
const FINISH_POLL_MS = 1_000;
/** Without a realtime subscription (a run not yet handed to an engine), the page's data is polled. */
const FALLBACK_POLL_MS = 2_000;

/** Present on the owner's page only: what links back to the app and what may be changed. */
export interface RunPageOwner {
  workflowId: string;
  shared: boolean;
}

/**
 * A run's page: the graph as it ran with each node's outcome on it, the node details beside it,
 * live while the run is going. The owner's page (`owner` given) links to the editor and manages
 * the share link; the share page shows the same, read-only, with no way into the rest of the app.
 */
export function RunPage({ data, owner }: { data: RunPageData; owner?: RunPageOwner }) {
  const { run, graph, workflowName, realtime } = data;
  const finished = isFinishedRunStatus(run.status);
  const [liveProgress, setLiveProgress] = useState<RunProgress | null>(null);
  const [liveTexts, setLiveTexts] = useState<NodeTexts>({});
  // The page's data is the record; once it says the run ended, live progress has nothing to add.
  const progress = finished ? null : liveProgress;
  const status = progress?.status ?? run.status;
  const views = useMemo(() => {
    const all = nodeRunViews(progress, run, liveTexts);
    return owner ? all : withoutCacheLinks(withoutMediaPreviews(all, run.nodes));
  }, [progress, run, liveTexts, owner]);
  const [highlighted, setHighlighted] = useState<string | null>(null);

  const { refresh } = useRefreshWhileRunning({
    finished,
    endedLive: progress !== null && isFinishedRunStatus(progress.status),
    realtime,
  });

  const showNode = useCallback((nodeId: string) => {
    setHighlighted(nodeId);
    document.getElementById(nodeDetailsId(nodeId))?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, []);

  const started = run.startedAt ?? run.createdAt;

  return (
    <div className="flex h-screen flex-col bg-canvas">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-line bg-panel px-4 py-2.5">
        {owner ? (
          <Link to="/workflows" className="text-lg font-semibold tracking-tight text-accent">
            Weft
          </Link>
        ) : (
          <span className="text-lg font-semibold tracking-tight text-accent">Weft</span>
        )}
        <span aria-hidden className="text-zinc-600">
          /
        </span>
        <h1 className="min-w-0 truncate text-base font-semibold text-zinc-100">
          {owner ? (
            <Link to={`/workflows/${owner.workflowId}`} title="Open in the editor" className="hover:text-accent hover:underline">
              {workflowName}
            </Link>
          ) : (
            workflowName
          )}
        </h1>
        <RunStatusBadge status={status} />
        <dl className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-400">
          <Fact term="Scope">{scopeLabel(run)}</Fact>
          <Fact term="Started">
            <time dateTime={started.toISOString()} title={formatUtc(started)}>
              {formatRelativeTime(started, data.now)}
            </time>
          </Fact>
          <Fact term="Duration">
            {finished ? (run.durationMs === null ? "—" : formatDuration(run.durationMs)) : <RunningFor startedAt={liveStartedAt(run.startedAt, progress)} />}
          </Fact>
          <Fact term="Cost">{formatUsd(run.costUsd)}</Fact>
        </dl>
        {realtime && !finished ? (
          <RealtimeRunFeed access={realtime} onProgress={setLiveProgress} onText={setLiveTexts} onDropped={refresh} />
        ) : null}
        <div className="ml-auto flex items-center gap-2">
          {owner ? (
            <ShareControls shared={owner.shared} />
          ) : (
            <span className="rounded-full border border-line px-2.5 py-0.5 text-xs text-zinc-400">Shared run · read-only</span>
          )}
        </div>
      </header>

      {run.error ? (
        <p role="alert" className="border-b border-red-500/40 bg-red-500/10 px-4 py-2 text-sm text-red-100">
          {run.error}
        </p>
      ) : null}

      <div className="flex min-h-0 flex-1">
        <main className="min-w-0 flex-1" aria-label="The graph as it ran">
          <RunCanvas graph={graph} views={views} filesPath={data.filesPath} onNodeClick={showNode} />
        </main>
        <aside aria-label="Node details" className="w-[26rem] shrink-0 overflow-y-auto border-l border-line bg-canvas p-3">
          <h2 className="mb-3 text-xs font-semibold uppercase tracking-wider text-zinc-500">
            {run.nodes.length} {run.nodes.length === 1 ? "node" : "nodes"} in this run
          </h2>
          <NodeDetailsList nodes={run.nodes} views={views} variant="page" label="Nodes of this run" highlighted={highlighted} />
        </aside>
      </div>
    </div>
  );
}

/** A running run's time so far, ticking; rendered after hydration, as it depends on the browser's clock. */
function RunningFor({ startedAt }: { startedAt: Date | null }) {
  const hydrated = useHydrated();
  const now = useNow(startedAt !== null);
  if (!hydrated || startedAt === null) return <>running</>;
  return <>{formatDuration(Math.max(0, now.getTime() - startedAt.getTime()))} so far</>;
}

function liveStartedAt(recorded: Date | null, progress: RunProgress | null): Date | null {
  if (recorded) return recorded;
  return progress?.startedAt ? new Date(progress.startedAt) : null;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex items-center gap-1">
      <dt className="text-zinc-500">{term}</dt>
      <dd className="text-zinc-300">{children}</dd>
    </div>
  );
}

/**
 * Reloads the page's data while the run is going: at once (and again each second until the data
 * agrees) when the live feed reports the end, so every output arrives in full; every few seconds
 * when there is no live feed; and before the feed's token expires, for a fresh one (the feed
 * reopens with it).
 */
function useRefreshWhileRunning({
  finished,
  endedLive,
  realtime,
}: {
  finished: boolean;
  endedLive: boolean;
  realtime: RealtimeAccess | null;
}) {
  // Stable for the page's lifetime (React Router binds it to the router).
  const { revalidate } = useRevalidator();
  const token = realtime?.accessToken ?? null;

  useEffect(() => {
    if (finished || endedLive || token !== null) return;
    const timer = setInterval(revalidate, FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [finished, endedLive, token, revalidate]);

  useEffect(() => {
    if (finished || !endedLive) return;
    revalidate();
    const timer = setInterval(revalidate, FINISH_POLL_MS);
    return () => clearInterval(timer);
  }, [finished, endedLive, revalidate]);

  useEffect(() => {
    if (finished || token === null) return;
    const timer = setTimeout(revalidate, tokenRenewalDelayMs(token));
    return () => clearTimeout(timer);
  }, [finished, token, revalidate]);

  // The page's data carries a fresh token, so a dropped feed reopens with the next reload.
  return { refresh: revalidate };
}
