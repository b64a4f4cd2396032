import { z } from "zod";

export const RunStatusSchema = z.enum(["idle", "queued", "running", "completed", "partial", "failed", "cancelled"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const NodeStatusSchema = z.enum(["idle", "queued", "running", "success", "failed", "skipped", "cancelled"]);
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

/** The statuses a run ends in; it never leaves them. */
export const FINISHED_RUN_STATUSES = ["completed", "partial", "failed", "cancelled"] as const satisfies readonly RunStatus[];
export type FinishedRunStatus = (typeof FINISHED_RUN_STATUSES)[number];

/** The statuses a run can still leave: every run-level write is limited to these, so a finished run stays as it ended. */
export const UNFINISHED_RUN_STATUSES = ["idle", "queued", "running"] as const satisfies readonly RunStatus[];

export function isFinishedRunStatus(status: RunStatus): status is FinishedRunStatus {
  return (FINISHED_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

/** Longest text preview kept per node, so progress stays far below Trigger.dev's 256 KB metadata limit. */
export const PREVIEW_MAX_CHARS = 400;

export const NodeProgressSchema = z.object({
  status: NodeStatusSchema,
  startedAt: z.string().nullable().default(null),
  finishedAt: z.string().nullable().default(null),
  durationMs: z.number().nullable().default(null),
  /**
   * Short preview of a succeeded node's output (the start of its text, or a media URL), shown
   * until its record loads. Live LLM text travels on the run's LLM text stream instead.
   */
  preview: z.string().max(PREVIEW_MAX_CHARS).nullable().default(null),
  error: z.string().nullable().default(null),
  /** The node took its outputs from an earlier execution of the same work (ADR 016) instead of executing. */
  cached: z.boolean().default(false),
  /** The run that made those outputs; null when not cached or not to be shown (a shared page). */
  cachedFromRunId: z.string().nullable().default(null),
});
export type NodeProgress = z.infer<typeof NodeProgressSchema>;

/**
 * The live state of one run: written by the orchestrator (Trigger.dev run metadata, or the
 * embedded engine's publisher) and read by the browser. One schema for both sides.
 */
export const RunProgressSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  status: RunStatusSchema,
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  nodes: z.record(z.string(), NodeProgressSchema),
  error: z.string().nullable().default(null),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

/** A node's progress as it travels: the fields that hold their default may be left out. */
type NodeProgressOnTheWire = z.input<typeof NodeProgressSchema>;
/** A run's progress as it travels (run metadata, the embedded realtime feed). */
export type RunProgressOnTheWire = z.input<typeof RunProgressSchema>;

const NODE_PROGRESS_DEFAULTS: Omit<NodeProgress, "status"> = (({ status: _status, ...defaults }) => defaults)(
  NodeProgressSchema.parse({ status: "idle" }),
);

/**
 * The progress without each node's fields that hold their default (RunProgressSchema puts them
 * back when it reads): a queued node travels as `{"status":"queued"}`. Every update of a run
 * carries every node's entry, and the browser parses each one, so a 500-node run's updates
 * shrink to about half, and the metadata stays further below Trigger.dev's 256 KB.
 */
export function compactRunProgress(progress: RunProgress): RunProgressOnTheWire {
  const nodes: Record<string, NodeProgressOnTheWire> = {};
  for (const [nodeId, node] of Object.entries(progress.nodes)) {
    const compact: Record<string, unknown> = { status: node.status };
    for (const [field, fallback] of Object.entries(NODE_PROGRESS_DEFAULTS)) {
      const value = node[field as keyof typeof NODE_PROGRESS_DEFAULTS];
      if (value !== fallback) compact[field] = value;
    }
    nodes[nodeId] = compact as NodeProgressOnTheWire;
  }
  return { ...progress, nodes };
}

/**
 * The run-metadata key that holds a run's RunProgress in both modes: the Trigger.dev orchestrator
 * sets it with `metadata.set`, the embedded realtime route serves it under the same key.
 */
export const RUN_PROGRESS_METADATA_KEY = "progress";

const RunMetadataSchema = z.object({ [RUN_PROGRESS_METADATA_KEY]: RunProgressSchema });

/**
 * The progress inside a run's metadata, as `useRealtimeRun` hands it over (`run.metadata`), or
 * null when the run has not reported yet or its metadata holds something else.
 */
export function readRunProgress(metadata: unknown): RunProgress | null {
  const parsed = RunMetadataSchema.safeParse(metadata);
  return parsed.success ? parsed.data[RUN_PROGRESS_METADATA_KEY] : null;
}
