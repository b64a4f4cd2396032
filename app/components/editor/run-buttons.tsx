import { useRunController, useRuns, useRunsActions } from "~/components/runs/runs-context";
import { endedNodeCount } from "~/lib/runs/node-run-view";
import { RUN_STATUS_LABELS } from "~/lib/runs/run-labels";
import { activeRunStatus, isRunBusy } from "~/lib/runs/runs-store";
import { useEditor, useEditorStoreApi } from "./editor-store-context";
import { isFinishedRunStatus } from "~workflow/run-progress";
import { estimateLabel } from "~/lib/cost-labels";
import { useEditorRunEstimates } from "./run-estimates-context";

const buttonClass =
  "rounded-md border border-line bg-panel-2 px-3 py-1.5 text-sm text-zinc-200 hover:border-[#3a3a4c] hover:text-white disabled:cursor-not-allowed disabled:opacity-40";

/** Run workflow, Run selected (n), and while the followed run goes: how far it got and Cancel. */
export function RunButtons() {
  const editor = useEditorStoreApi();
  const controller = useRunController();
  const selectedCount = useEditor((state) => state.nodes.reduce((count, node) => count + (node.selected ? 1 : 0), 0));
  const busy = useRuns(isRunBusy);
  const active = useRuns((state) => {
    const run = state.active ? state.runs.find((entry) => entry.id === state.active?.runId) : undefined;
    return run ?? null;
  });
  const progress = useRuns((state) => state.active?.progress ?? null);
  // The records' word once they say the run ended: the feed stops then, and its last report may
  // not have arrived.
  const status = useRuns(activeRunStatus);
  const { dismissActive } = useRunsActions();
  const estimates = useEditorRunEstimates();
  if (!controller) return null;

  const going = active !== null && status !== null && !isFinishedRunStatus(status);
  const nodeCount = progress ? Object.keys(progress.nodes).length : 0;
  const waitTitle = busy ? "Wait for the current run to end, or cancel it." : undefined;

  const runSelected = () => {
    const ids = editor.getState().nodes.filter((node) => node.selected).map((node) => node.id);
    void controller.start("selected", ids);
  };

  return (
    <div className="flex items-center gap-2">
      {going && status ? (
        <>
          {/* Its count changes with every node that ends: a fixed box with strict containment
              keeps that change from laying out the whole page again (ADR 018). */}
          <p role="status" className="flex h-5 w-48 items-center gap-2 overflow-hidden whitespace-nowrap text-xs text-violet-200 [contain:strict]">
            <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-violet-400" />
            {RUN_STATUS_LABELS[status]}
            {nodeCount > 0 ? ` · ${endedNodeCount(progress)}/${nodeCount} nodes` : ""}
          </p>
          <button
            type="button"
            onClick={() => void controller.cancel(active.id)}
            className="rounded-md border border-red-500/50 bg-red-500/10 px-3 py-1.5 text-sm text-red-100 hover:bg-red-500/20"
          >
            Cancel run
          </button>
        </>
      ) : active !== null ? (
        <button
          type="button"
          title="Take this run’s results off the canvas; the history keeps them."
          onClick={dismissActive}
          className="rounded-md px-2 py-1.5 text-sm text-zinc-400 hover:bg-panel-2 hover:text-zinc-100"
        >
          Clear results
        </button>
      ) : null}
      <button
        type="button"
        disabled={busy || selectedCount === 0}
        title={waitTitle ?? (selectedCount === 0 ? "Select nodes on the canvas to run only them." : undefined)}
        onClick={runSelected}
        className={buttonClass}
      >
        Run selected ({selectedCount}){estimates.selected && selectedCount > 0 ? ` · ${estimateLabel(estimates.selected)}` : ""}
      </button>
      <button
        type="button"
        disabled={busy}
        title={waitTitle}
        onClick={() => void controller.start("full")}
        className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong disabled:cursor-not-allowed disabled:opacity-50"
      >
        <span aria-hidden>▶ </span>
        Run workflow{estimates.full ? ` · ${estimateLabel(estimates.full)}` : ""}
      </button>
    </div>
  );
}

/** Shows or hides the History sidebar. */
export function HistoryToggle() {
  const open = useRuns((state) => state.panelOpen);
  const { setPanelOpen } = useRunsActions();
  return (
    <button type="button" aria-pressed={open} onClick={() => setPanelOpen(!open)} className={buttonClass}>
      History
    </button>
  );
}
