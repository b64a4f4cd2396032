import { useMemo } from "react";
import type { EditorStore } from "~/lib/editor/store";
import type { RunScope, RunsPage, RunDetail } from "~/lib/runs/run-schemas";
import { cancelRun, fetchRunDetail, fetchRunsPage, retryRun, startRun, type ApiResult } from "~/lib/runs/run-requests";
import { isRunBusy, type RunsStore } from "~/lib/runs/runs-store";
import { withDownstream } from "~/lib/editor/graph-editing";

export interface RunController {
  /** Saves pending edits (runs use the saved graph), then starts the run and follows it. */
  start(scope: RunScope, nodeIds?: string[]): Promise<void>;
  /** Runs the node and everything downstream of it, the node executing fresh once (not from the cache). */
  reroll(nodeId: string): Promise<void>;
  /** Runs again what did not succeed in a finished run, as a new run that is then followed. */
  retry(runId: string): Promise<void>;
  cancel(runId: string): Promise<void>;
  /** The next (older) page of history; the answer tells the panel whether it failed. */
  loadMore(): Promise<ApiResult<RunsPage> | null>;
  /** A run's node-level records, kept in the store. */
  loadDetail(runId: string): Promise<ApiResult<RunDetail>>;
}

/** The editor's run actions, over its runs store and its editor store (for saving first). */
export function useRunController(runs: RunsStore, editor: EditorStore, flush: () => Promise<void>): RunController {
  return useMemo(() => {
    const { actions } = runs.getState();

    /** Saves what is not saved yet; on failure says why the run cannot start. */
    const saveFirst = async (): Promise<boolean> => {
      await flush();
      const { revision, savedRevision, save } = editor.getState();
      if (revision === savedRevision) return true;
      const reason =
        save.kind === "invalid" || save.kind === "error" || save.kind === "conflict"
          ? save.message
          : "Your latest changes are not saved yet.";
      actions.showNotice({ message: `The workflow could not be saved, so it cannot run yet. ${reason}`, problems: [] });
      return false;
    };

    const starting = async (begin: () => Promise<void>) => {
      if (isRunBusy(runs.getState())) return;
      actions.setStarting(true);
      try {
        await begin();
      } finally {
        actions.setStarting(false);
      }
    };

    const launch = (scope: RunScope, nodeIds: string[], fresh: string[] = []) =>
      starting(async () => {
        if (!(await saveFirst())) return;
        const request = { ...(scope === "full" ? { scope } : { scope, nodeIds }), ...(fresh.length > 0 ? { fresh } : {}) };
        const result = await startRun(runs.getState().workflowId, request);
        if (!result.ok) {
          actions.showNotice({ message: result.message, problems: result.problems });
          return;
        }
        actions.runStarted(result.value, { scope, nodeIds, retryOfId: null }, new Date());
      });

    return {
      start: (scope, nodeIds = []) => launch(scope, nodeIds),

      reroll: (nodeId) => {
        const nodeIds = withDownstream(editor.getState().edges, nodeId);
        return launch(nodeIds.length === 1 ? "single" : "selected", nodeIds, [nodeId]);
      },

      retry: (runId) =>
        starting(async () => {
          const original = runs.getState().runs.find((run) => run.id === runId);
          const result = await retryRun(runId);
          if (!result.ok) {
            actions.showNotice({ message: result.message, problems: result.problems });
            return;
          }
          actions.runStarted(result.value, { scope: result.value.run.scope, nodeIds: original?.requestedNodeIds ?? [], retryOfId: runId }, new Date());
        }),

      async cancel(runId) {
        const result = await cancelRun(runId);
        if (!result.ok) actions.showNotice({ message: result.message, problems: result.problems });
      },

      async loadMore() {
        const { nextCursor, loadingMore, workflowId } = runs.getState();
        if (nextCursor === null || loadingMore) return null;
        actions.loadingMore(true);
        const result = await fetchRunsPage(workflowId, nextCursor);
        if (result.ok) actions.pageLoaded(result.value);
        else actions.loadingMore(false);
        return result;
      },

      async loadDetail(runId) {
        const result = await fetchRunDetail(runId);
        if (result.ok) actions.detailLoaded(result.value);
        return result;
      },
    };
  }, [runs, editor, flush]);
}
