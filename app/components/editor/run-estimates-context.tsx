import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { createStore, useStore, type StoreApi } from "zustand";
import type { NodeEstimate } from "~workflow/cost/estimate";
import { useRunEstimates, type RunEstimates } from "./use-run-estimates";

/**
 * The editor's estimates, asked once (useRunEstimates) and read by the Run buttons and by each
 * node's header. A store rather than a context value, so a new estimate re-renders only the nodes
 * whose own figure changed, not every node of a large graph.
 */
const RunEstimatesContext = createContext<StoreApi<RunEstimates> | null>(null);

export function RunEstimatesProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createStore<RunEstimates>(() => ({ full: null, selected: null })));
  const estimates = useRunEstimates();
  useEffect(() => store.setState(estimates, true), [store, estimates]);
  return <RunEstimatesContext.Provider value={store}>{children}</RunEstimatesContext.Provider>;
}

const NO_ESTIMATES = createStore<RunEstimates>(() => ({ full: null, selected: null }));

/** Both estimates; outside an editor (run and share pages) there are none. */
export function useEditorRunEstimates(): RunEstimates {
  return useStore(useContext(RunEstimatesContext) ?? NO_ESTIMATES);
}

/** What running the whole workflow would cost for this node, and why; undefined when not known. */
export function useNodeEstimate(nodeId: string): NodeEstimate | undefined {
  return useStore(useContext(RunEstimatesContext) ?? NO_ESTIMATES, (state) => state.full?.nodes[nodeId]);
}
