import { Link } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { nodeRunViews } from "~/lib/runs/node-run-view";
import type { RunSummary } from "~/lib/runs/run-schemas";
import { canRetry } from "~/lib/runs/run-labels";
import { isRunBusy } from "~/lib/runs/runs-store";
import { NodeDetailsList } from "./node-details";
import { useRunController, useRuns } from "./runs-context";
import { isFinishedRunStatus } from "~workflow/run-progress";

const actionClass =
  "rounded-md border border-line bg-panel-2 px-2.5 py-1 text-[12px] font-medium text-zinc-200 hover:border-[#3a3a4c] hover:text-white disabled:cursor-not-allowed disabled:opacity-40";

/**
 * A run's node-level details: each node's status, the inputs it used, its outputs, time and
 * error. The run followed live shows its progress over the records loaded so far.
 */
export function RunDetails({ run }: { run: RunSummary }) {
  const controller = useRunController();
  const detail = useRuns((state) => state.details[run.id] ?? null);
  const progress = useRuns((state) => (state.active?.runId === run.id ? state.active.progress : null));
  const texts = useRuns((state) => (state.active?.runId === run.id ? state.active.texts : undefined));
  const busy = useRuns(isRunBusy);
  const [loadError, setLoadError] = useState<string | null>(null);
  const views = useMemo(() => nodeRunViews(progress, detail, texts), [progress, detail, texts]);
  const loaded = detail !== null;

  useEffect(() => {
    if (loaded || !controller) return;
    let cancelled = false;
    void controller.loadDetail(run.id).then((result) => {
      if (!cancelled) setLoadError(result.ok ? null : result.message);
    });
    return () => {
      cancelled = true;
    };
  }, [loaded, controller, run.id]);

  const unfinished = !isFinishedRunStatus(run.status);
  return (
    <div className="flex flex-col gap-2">
      {run.error ? <p className="rounded-md bg-red-500/10 px-2 py-1.5 text-[12px] text-red-200">{run.error}</p> : null}
      <div className="flex flex-wrap items-center gap-2">
        {canRetry(run.status) && controller ? (
          <button type="button" disabled={busy} onClick={() => void controller.retry(run.id)} className={actionClass}>
            Retry failed
          </button>
        ) : null}
        {unfinished && controller ? (
          <button type="button" onClick={() => void controller.cancel(run.id)} className={actionClass}>
            Cancel run
          </button>
        ) : null}
        <Link to={`/runs/${encodeURIComponent(run.id)}`} className="ml-auto text-[12px] font-medium text-violet-300 hover:text-violet-200">
          Open run page →
        </Link>
      </div>
      {detail ? (
        <NodeDetailsList nodes={detail.nodes} views={views} variant="panel" label="Nodes" />
      ) : loadError ? (
        <p role="alert" className="text-[12px] text-red-300">
          {loadError}
        </p>
      ) : (
        <p className="text-[12px] text-zinc-500">Loading the run’s nodes…</p>
      )}
    </div>
  );
}
