import { BaseEdge, getBezierPath, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { useZoomedOut } from "./level-of-detail";
import { useNodeRunStatus, useRunOnCanvas } from "./run-overlay";

/**
 * An edge whose purple dashes flow: always while the graph is edited, and while a run is laid
 * over the canvas only into the nodes running now — the data on its way. Dashes drawn along SVG
 * paths repaint on the main thread, so a big graph whose every edge kept moving would leave it
 * little time for showing the run's progress (ADR 010). Zoomed far out the dashes are a pixel or
 * two, so every edge keeps still there (ADR 018).
 */
function FlowEdge({ id, target, sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, style, markerEnd, interactionWidth }: EdgeProps) {
  const run = useRunOnCanvas();
  const targetStatus = useNodeRunStatus(target);
  const zoomedOut = useZoomedOut();
  const flowing = !zoomedOut && (!run || targetStatus === "running");
  const [path] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  return (
    <BaseEdge
      id={id}
      path={path}
      style={style}
      markerEnd={markerEnd}
      interactionWidth={interactionWidth}
      className={flowing ? "weft-edge-flowing" : undefined}
    />
  );
}

/** Every edge of a Weft canvas (edges carry no type of their own, so they are React Flow's "default"). */
export const edgeTypes: EdgeTypes = { default: FlowEdge };
