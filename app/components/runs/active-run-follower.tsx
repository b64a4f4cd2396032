import { useCallback, useEffect, useState } from "react";
import type { NodeTexts } from "~/lib/llm-text-stream";
import type { RunProgress } from "~workflow/run-progress";
import { tokenRenewalDelayMs } from "~/lib/runs/access-token";
import { coalesce } from "~/lib/runs/coalesce";
import { endedNodeCount } from "~/lib/runs/node-run-view";
import { fetchRealtimeAccess } from "~/lib/runs/run-requests";
import { RealtimeRunFeed } from "./realtime-run-feed";
import { activeRunStatus } from "~/lib/runs/runs-store";
import { useRunController, useRuns, useRunsActions } from "./runs-context";
import { isFinishedRunStatus } from "~workflow/run-progress";

const MAX_ACCESS_RETRY_MS = 10_000;
/**
 * Least time between two loads of the run's records while it goes: the feed already carries
 * every status and the streamed text, the records add full outputs, and a run of many quick nodes must not
 * keep the server busy answering the same growing list.
 */
const RECORDS_INTERVAL_MS = 1_000;

/**
 * Follows the editor's active run live: one realtime subscription (the browser allows only a
 * few connections per origin, so the history rows are not subscribed), a fresh token before the
 * current one expires, and the run's records whenever nodes end, for their full outputs.
 */
export function ActiveRunFollower() {
  const runId = useRuns((state) => state.active?.runId ?? null);
  return runId === null ? null : <Follower key={runId} runId={runId} />;
}

function Follower({ runId }: { runId: string }) {
  const actions = useRunsActions();
  const controller = useRunController();
  const access = useRuns((state) => (state.active?.runId === runId ? state.active.access : null));
  const status = useRuns(activeRunStatus);
  const ended = useRuns((state) => endedNodeCount(state.active?.progress ?? null));
  const finished = status !== null && isFinishedRunStatus(status);
  const [accessAttempt, setAccessAttempt] = useState(0);
  const [detailLoader] = useState(() =>
    coalesce(() => controller?.loadDetail(runId) ?? Promise.resolve(), { minIntervalMs: RECORDS_INTERVAL_MS }),
  );

  // A token for a run found going on page load, or after the feed dropped.
  useEffect(() => {
    if (access || finished) return;
    let cancelled = false;
    const delay = accessAttempt === 0 ? 0 : Math.min(MAX_ACCESS_RETRY_MS, 1_000 * 2 ** accessAttempt);
    const timer = setTimeout(async () => {
      const result = await fetchRealtimeAccess(runId);
      if (cancelled) return;
      if (result.ok) {
        actions.accessReceived(runId, result.value);
        setAccessAttempt(0);
      } else if (result.status === 404 || result.status === 409) {
        // Deleted with its workflow, or never started: there is nothing to follow.
        detailLoader.request();
        actions.dismissActive();
      } else {
        setAccessAttempt((attempt) => attempt + 1);
      }
    }, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [access, finished, accessAttempt, runId, actions, detailLoader]);

  // Swaps in a fresh token before this one expires; the feed reopens with it.
  useEffect(() => {
    if (!access || finished) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await fetchRealtimeAccess(runId);
      if (cancelled) return;
      if (result.ok) actions.accessReceived(runId, result.value);
      else actions.accessExpired(runId);
    }, tokenRenewalDelayMs(access.accessToken));
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [access, finished, runId, actions]);

  // Full outputs (the feed carries only previews): whenever nodes end, and once the run has.
  useEffect(() => {
    if (ended > 0 || finished) detailLoader.request();
  }, [ended, finished, detailLoader]);

  const onProgress = useCallback((progress: RunProgress) => actions.progressReceived(runId, progress), [actions, runId]);
  const onText = useCallback((texts: NodeTexts) => actions.textReceived(runId, texts), [actions, runId]);
  const onDropped = useCallback(() => actions.accessExpired(runId), [actions, runId]);

  if (!access || finished) return null;
  return <RealtimeRunFeed access={access} onProgress={onProgress} onText={onText} onDropped={onDropped} />;
}
