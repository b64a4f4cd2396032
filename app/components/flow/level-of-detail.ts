import { useStore, type ReactFlowState } from "@xyflow/react";

/**
 * Below this zoom the canvas draws every node compact (its header and handles: no fields, menus
 * or results) and its edges still. Text on a node is 11–13 px, under 5 px on screen here, so
 * there is nothing left to read or type, and a graph of hundreds of nodes fitted to the view
 * costs the browser a fraction of the layout, paint and compositing per frame (ADR 018).
 */
export const COMPACT_BELOW_ZOOM = 0.35;

const isZoomedOut = (state: ReactFlowState) => state.transform[2] < COMPACT_BELOW_ZOOM;

/** Whether the canvas is zoomed out past reading: components re-render only when that flips. */
export function useZoomedOut(): boolean {
  return useStore(isZoomedOut);
}
