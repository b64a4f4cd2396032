import { useEffect, useState } from "react";
import { fetchEstimate } from "~/lib/runs/run-requests";
import type { PlanEstimate } from "~workflow/cost/estimate";
import { useEditor } from "./editor-store-context";

/** Edits arrive in bursts (typing, dragging): ask once they pause. */
const DEBOUNCE_MS = 400;

export interface RunEstimates {
  full: PlanEstimate | null;
  selected: PlanEstimate | null;
}

/**
 * What "Run workflow" and "Run selected" would cost, asked again when the saved graph or the
 * selection changes. Estimates are of the saved graph (runs use it too); while one is asked for
 * the last one stays, and a failed one shows nothing rather than a wrong figure.
 */
export function useRunEstimates(): RunEstimates {
  const workflowId = useEditor((state) => state.workflowId);
  const savedRevision = useEditor((state) => state.savedRevision);
  const selectedKey = useEditor((state) =>
    state.nodes
      .filter((node) => node.selected)
      .map((node) => node.id)
      .join(","),
  );
  const [estimates, setEstimates] = useState<RunEstimates>({ full: null, selected: null });

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const selected = selectedKey ? selectedKey.split(",") : [];
      void Promise.all([
        fetchEstimate(workflowId, { scope: "full" }, controller.signal),
        selected.length > 0 ? fetchEstimate(workflowId, { scope: "selected", nodeIds: selected }, controller.signal) : null,
      ]).then(([full, chosen]) => {
        if (controller.signal.aborted) return;
        setEstimates({ full: full.ok ? full.value : null, selected: chosen?.ok ? chosen.value : null });
      });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [workflowId, savedRevision, selectedKey]);

  return estimates;
}
