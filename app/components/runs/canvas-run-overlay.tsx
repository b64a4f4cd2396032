import { useMemo, type ReactNode } from "react";
import { RunOverlayProvider } from "~/components/flow/run-overlay";
import { nodeRunViews } from "~/lib/runs/node-run-view";
import { useRuns } from "./runs-context";

/** Lays the editor's active run over the canvas: its live progress, and its outputs once loaded. */
export function CanvasRunOverlay({ children }: { children: ReactNode }) {
  const progress = useRuns((state) => state.active?.progress ?? null);
  const detail = useRuns((state) => (state.active ? state.details[state.active.runId] : undefined) ?? null);
  const texts = useRuns((state) => state.active?.texts);
  const views = useMemo(() => nodeRunViews(progress, detail, texts), [progress, detail, texts]);
  return <RunOverlayProvider nodes={views}>{children}</RunOverlayProvider>;
}
