import { ExpandableText } from "~/components/runs/expandable-text";
import { ImageThumbnail } from "~/components/runs/lightbox";
import type { NodeType } from "~workflow/nodes/registry";
import { nodeResultDisplay, type NodeRunView } from "~/lib/runs/node-run-view";
import { formatDuration, NODE_STATUS_LABELS } from "~/lib/runs/run-labels";
import { costLabel } from "~/lib/cost-labels";

const STATUS_PILL_CLASSES: Record<NodeRunView["status"], string> = {
  idle: "bg-zinc-500/15 text-zinc-400",
  queued: "bg-zinc-500/15 text-zinc-400",
  running: "bg-violet-500/25 text-violet-100",
  success: "bg-emerald-500/20 text-emerald-200",
  failed: "bg-red-500/20 text-red-200",
  skipped: "bg-zinc-500/15 text-zinc-400",
  cancelled: "bg-zinc-500/15 text-zinc-300",
};

/** The node's run status in its header, kept short beside the title: "Running", "✓ 1.2 s", "Failed", … */
export function NodeRunStatus({ view }: { view: NodeRunView }) {
  const label = NODE_STATUS_LABELS[view.status];
  const succeededIn = view.status === "success" && view.durationMs !== null ? formatDuration(view.durationMs) : null;
  const cost = view.cost ? costLabel(view.cost.usd) : null;
  return (
    <span
      data-testid="node-run-status"
      title={[succeededIn ? `${label} in ${succeededIn}` : label, cost ? `cost ${cost}` : null].filter(Boolean).join(", ")}
      className={`shrink-0 whitespace-nowrap rounded-full px-1.5 py-0.5 text-[10px] font-medium leading-none ${STATUS_PILL_CLASSES[view.status]}`}
    >
      {succeededIn ? (
        <>
          <span aria-hidden>✓ </span>
          <span className="sr-only">{label} in </span>
          {succeededIn}
          {cost ? ` · ${cost}` : null}
        </>
      ) : (
        <>
          {label}
          {cost ? ` · ${cost}` : null}
        </>
      )}
    </span>
  );
}

/**
 * "Cached": the node took its outputs from an earlier execution of the same work, at no cost.
 * Links to the run that made them where the viewer may open it.
 */
export function CachedBadge({ view }: { view: Pick<NodeRunView, "cached" | "cachedFromRunId"> }) {
  if (!view.cached) return null;
  const className = "nodrag shrink-0 whitespace-nowrap rounded-full bg-sky-500/20 px-1.5 py-0.5 text-[10px] font-medium leading-none text-sky-200";
  const title = "Served from the cache: the same work succeeded before, so it did not run again.";
  return view.cachedFromRunId ? (
    <a href={`/runs/${encodeURIComponent(view.cachedFromRunId)}`} title={`${title} Opens the run that made it.`} className={`${className} hover:underline`}>
      Cached
    </a>
  ) : (
    <span title={title} className={className}>
      Cached
    </span>
  );
}

/** An image output as a small thumbnail in the node's output row, opening full size in the lightbox. */
export function NodeOutputMedia({ nodeId, type, view }: { nodeId: string; type: NodeType; view: NodeRunView }) {
  const result = nodeResultDisplay(type, view);
  if (result?.kind !== "image") return null;
  return <ImageThumbnail url={result.url} alt={`Output of ${nodeId}`} className="mr-auto h-12 w-20" />;
}

/**
 * Below the node's rows: why it failed or was skipped, and the text it produced (an LLM's,
 * growing while it streams, then the full answer), or the video it made, playable in a fixed box
 * (its own controls: no drag or zoom of the canvas through it). Images sit in the output row.
 * Every part has a fixed maximum height (scrolling past it), so a node's size never depends on
 * what a run produced and the layout's gaps hold; node components get this from NodeShell.
 */
export function NodeRunResult({ nodeId, type, view }: { nodeId: string; type: NodeType; view: NodeRunView }) {
  const display = nodeResultDisplay(type, view);
  const result = display?.kind === "text" ? display : null;
  const video = display?.kind === "video" ? display : null;
  const problem = view.status === "failed" || view.status === "skipped" ? view.error : null;
  if (!result && !video && !problem) return null;
  return (
    <section aria-label="Result" className="mx-3 mt-1 flex flex-col gap-2 border-t border-[#2c2c3a] pt-2">
      {problem ? (
        <p
          role={view.status === "failed" ? "alert" : undefined}
          className={`nodrag nowheel max-h-24 select-text overflow-y-auto whitespace-pre-wrap break-words rounded-md px-2 py-1.5 text-[12px] leading-snug ${
            view.status === "failed" ? "border border-red-500/40 bg-red-500/10 text-red-200" : "bg-zinc-500/10 text-zinc-400"
          }`}
        >
          {problem}
        </p>
      ) : null}
      {video ? (
        <video
          controls
          preload="metadata"
          src={video.url}
          aria-label={`Output of ${nodeId}`}
          className="nodrag nowheel h-36 w-full rounded-md border border-line bg-black object-contain"
        />
      ) : null}
      {result ? (
        result.live ? (
          <p
            data-testid={`node-text-${nodeId}`}
            className="nodrag nowheel max-h-48 select-text overflow-y-auto whitespace-pre-wrap break-words rounded-md bg-canvas/70 px-2 py-1.5 text-[12px] leading-relaxed text-zinc-100"
          >
            {result.text}
            <span aria-hidden className="weft-caret" />
          </p>
        ) : (
          <div data-testid={`node-text-${nodeId}`} className="nodrag nowheel select-text rounded-md bg-canvas/70 px-2 py-1.5">
            <ExpandableText text={result.text} className="text-[12px] leading-relaxed text-zinc-100" />
          </div>
        )
      ) : null}
    </section>
  );
}
