import type { NodeTexts } from "~/lib/llm-text-stream";
import { getNodeDefinition } from "~workflow/nodes/registry";
import type { NodeStatus, RunProgress } from "~workflow/run-progress";
import type { RunDetail } from "./run-schemas";
import { displayValue } from "./port-values";
import type { NodeOutputs } from "~workflow/values";
import type { MediaKind } from "~workflow/values";
import { isFinishedRunStatus } from "~workflow/run-progress";

/** What a node shows of a run: its live status while it runs, its outputs once it has them. */
export interface NodeRunView {
  status: NodeStatus;
  error: string | null;
  /** Live text (an LLM's answer so far) or a short preview of the output (a media file's URL). */
  preview: string | null;
  /** Full outputs by port id, once the run's records are loaded (after the node finished). */
  outputs: NodeOutputs | null;
  durationMs: number | null;
  /** When the node's current attempt started (ISO), for the time a long node has been working. */
  startedAt: string | null;
  /** Took its outputs from the cache instead of executing (ADR 016). */
  cached: boolean;
  /** The run that made those outputs, to link to; null when not cached or not to be shown. */
  cachedFromRunId: string | null;
  /** What the node's paid API calls cost, once its record loads: null = it made none; usd null = price unknown. */
  cost: { usd: number | null } | null;
}

/**
 * Each node's view of a run, from its live progress (status, preview, error: what the realtime
 * feed carries), its LLM text stream (`texts`: the text so far of nodes that stream) and its
 * records (full outputs, loaded from the API once nodes finish). Progress is newer while the run
 * goes, so it decides the status; records fill in outputs of nodes they agree have succeeded, and
 * stand alone for a run without progress (loaded after it ended).
 */
export function nodeRunViews(progress: RunProgress | null, detail: RunDetail | null, texts: NodeTexts = {}): Record<string, NodeRunView> {
  // Records that say the run ended are final; the feed may not have caught up with them yet.
  if (detail && isFinishedRunStatus(detail.status)) progress = null;
  const records = new Map((detail?.nodes ?? []).map((node) => [node.nodeId, node]));
  const views: Record<string, NodeRunView> = {};
  for (const [nodeId, record] of records) {
    views[nodeId] = {
      status: record.status,
      error: record.error,
      preview: null,
      outputs: record.status === "success" ? record.outputs : null,
      durationMs: record.durationMs,
      startedAt: record.startedAt?.toISOString() ?? null,
      cached: record.cachedFromExecutionId !== null,
      cachedFromRunId: record.cachedFromRunId,
      cost: costOf(record),
    };
  }
  for (const [nodeId, node] of Object.entries(progress?.nodes ?? {})) {
    const record = records.get(nodeId);
    const recorded = record?.status === node.status && node.status === "success" ? record.outputs : null;
    // The streamed text is whole where the progress' preview is cut short, until the record loads.
    const streamed = node.status === "running" || node.status === "success" ? texts[nodeId] : undefined;
    const preview = streamed ?? node.preview;
    views[nodeId] = {
      status: node.status,
      error: node.error,
      preview,
      outputs: recorded,
      durationMs: node.durationMs,
      startedAt: node.startedAt,
      cached: node.cached,
      cachedFromRunId: node.cachedFromRunId,
      cost: record ? costOf(record) : null,
    };
  }
  return views;
}

function costOf(record: RunDetail["nodes"][number]): NodeRunView["cost"] {
  return record.usage === null ? null : { usd: record.costUsd };
}

const endedCounts = new WeakMap<RunProgress, number>();

/**
 * How many of the run's nodes have ended: when it grows, there are new outputs to load. Counted
 * once per progress: the editor asks on every change of its runs store (streamed text among them).
 */
export function endedNodeCount(progress: RunProgress | null): number {
  if (!progress) return 0;
  let count = endedCounts.get(progress);
  if (count === undefined) {
    count = Object.values(progress.nodes).filter((node) => node.status !== "queued" && node.status !== "running" && node.status !== "idle").length;
    endedCounts.set(progress, count);
  }
  return count;
}

/** A node's result as shown on the node itself. */
export type NodeResultDisplay =
  | {
      kind: "text";
      text: string;
      /** Still growing (LLM tokens arriving); otherwise the final text, or its preview until that loads. */
      live: boolean;
    }
  | { kind: MediaKind; url: string };

/**
 * What a node shows of its output: the text (growing while an LLM streams) or the image or video
 * it produced. Source nodes (Text, uploads) already show their value, so they show nothing more.
 */
export function nodeResultDisplay(nodeType: string, view: NodeRunView | null): NodeResultDisplay | null {
  const definition = getNodeDefinition(nodeType);
  const port = definition?.outputs[0];
  if (!view || !definition || !port || definition.inputs.length === 0) return null;
  const recorded = view.outputs ? displayValue(view.outputs[port.id]) : null;
  if (port.type === "image" || port.type === "video") {
    if (recorded?.kind === "image" || recorded?.kind === "video") return { kind: recorded.kind, url: recorded.url };
    // Until the records load, a finished media node's preview is its file's URL.
    return view.status === "success" && view.preview ? { kind: port.type, url: view.preview } : null;
  }
  if (recorded?.kind === "text") return { kind: "text", text: recorded.text, live: false };
  if (view.preview === null || (view.status !== "running" && view.status !== "success")) return null;
  return { kind: "text", text: view.preview, live: view.status === "running" };
}

/**
 * `next`, with each node's view replaced by the one in `previous` when it shows the same thing,
 * so a node whose view did not change keeps the same object and need not be drawn again.
 */
export function keepUnchangedViews(
  previous: Readonly<Record<string, NodeRunView>>,
  next: Readonly<Record<string, NodeRunView>>,
): Readonly<Record<string, NodeRunView>> {
  const shared: Record<string, NodeRunView> = {};
  for (const [nodeId, view] of Object.entries(next)) {
    const before = previous[nodeId];
    shared[nodeId] = before && sameView(before, view) ? before : view;
  }
  return shared;
}

function sameView(a: NodeRunView, b: NodeRunView): boolean {
  return (
    a.status === b.status &&
    a.error === b.error &&
    a.preview === b.preview &&
    a.durationMs === b.durationMs &&
    a.startedAt === b.startedAt &&
    a.cached === b.cached &&
    a.cachedFromRunId === b.cachedFromRunId &&
    sameOutputs(a.outputs, b.outputs)
  );
}

function sameOutputs(a: NodeOutputs | null, b: NodeOutputs | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const left = a[key];
    const right = b[key];
    if (typeof left !== "object" || typeof right !== "object") return Object.is(left, right);
    // Media files: the same stored file at the same address.
    return left.assetId === right.assetId && left.url === right.url;
  });
}
