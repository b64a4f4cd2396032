import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { RunsActions, RunsState, RunsStore } from "~/lib/runs/runs-store";
import type { RunController } from "./use-run-controller";

const RunsStoreContext = createContext<RunsStore | null>(null);
const RunControllerContext = createContext<RunController | null>(null);

/** One editor's runs (history and the followed run) and what can be done with them. */
export function RunsProvider({ store, controller, children }: { store: RunsStore; controller: RunController; children: ReactNode }) {
  return (
    <RunsStoreContext.Provider value={store}>
      <RunControllerContext.Provider value={controller}>{children}</RunControllerContext.Provider>
    </RunsStoreContext.Provider>
  );
}

export function useRunsStoreApi(): RunsStore {
  const store = useContext(RunsStoreContext);
  if (!store) throw new Error("useRunsStoreApi must be used inside <RunsProvider>.");
  return store;
}

/** A slice of the runs state; the component re-renders when the selected value changes. */
export function useRuns<T>(selector: (state: RunsState) => T): T {
  return useStore(useRunsStoreApi(), selector);
}

export function useRunsActions(): RunsActions {
  return useRuns((state) => state.actions);
}

/**
 * Starting, retrying and cancelling runs; null outside the editor (the run and share pages draw
 * the same nodes without it), where nothing offers to run.
 */
export function useRunController(): RunController | null {
  return useContext(RunControllerContext);
}
