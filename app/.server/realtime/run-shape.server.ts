import { z } from "zod";
import { LLM_TEXT_STREAM_KEY } from "~/lib/llm-text-stream";
import { EXECUTE_WORKFLOW_TASK_ID } from "~trigger/names";
import { compactRunProgress, isFinishedRunStatus, RUN_PROGRESS_METADATA_KEY, type RunProgress, type RunStatus } from "~workflow/run-progress";

// The part of Trigger.dev's realtime run feed that the pinned @trigger.dev/react-hooks reads
// (ADR 007): an Electric "shape" of one TaskRun row, read with long polls. Everything here is
// pure; run-feed.server.ts does the waiting. The names of columns, headers and messages are the
// SDK's, and the contract test drives the SDK's own client against them.

/**
 * The columns served, with their Postgres types as Electric describes them in `electric-schema`.
 * The client parses values by these types; the SDK gives every column left out a default.
 */
const RUN_SHAPE_COLUMNS = {
  id: { type: "text", not_null: true, pk_index: 0 },
  friendlyId: { type: "text", not_null: true },
  taskIdentifier: { type: "text", not_null: true },
  status: { type: "text", not_null: true },
  createdAt: { type: "timestamp", not_null: true },
  updatedAt: { type: "timestamp", not_null: true },
  startedAt: { type: "timestamp" },
  completedAt: { type: "timestamp" },
  metadata: { type: "text" },
  metadataType: { type: "text" },
  realtimeStreams: { type: "text", dims: 1 },
} as const;

export type RunShapeColumn = keyof typeof RUN_SHAPE_COLUMNS;
/** A row as it travels: every value a string (or null), as Electric sends Postgres' text form. */
export type RunShapeRow = Record<RunShapeColumn, string | null>;

/**
 * Trigger.dev's TaskRun status for a workflow run's status. The orchestrator task returns normally
 * when nodes fail (node failures are data, not task failures), so a partial or failed workflow is
 * a COMPLETED task run in Trigger.dev mode too; the workflow's own status is in the progress.
 */
const TASK_RUN_STATUS = {
  idle: "PENDING",
  queued: "PENDING",
  running: "EXECUTING",
  completed: "COMPLETED_SUCCESSFULLY",
  partial: "COMPLETED_SUCCESSFULLY",
  failed: "COMPLETED_SUCCESSFULLY",
  cancelled: "CANCELED",
} as const satisfies Record<RunStatus, string>;

export interface RunShapeSource {
  engineRunId: string;
  /** When the run was requested (WorkflowRun.createdAt). */
  createdAt: Date;
  progress: RunProgress;
}

/** The TaskRun row `useRealtimeRun` turns into its `run` object, for one embedded run. */
export function runShapeRow({ engineRunId, createdAt, progress }: RunShapeSource): RunShapeRow {
  const finished = isFinishedRunStatus(progress.status);
  const updatedAt = latestTime(createdAt, progress);
  return {
    id: engineRunId,
    friendlyId: engineRunId,
    // Embedded runs carry the id a Trigger.dev run of the same workflow would.
    taskIdentifier: EXECUTE_WORKFLOW_TASK_ID,
    status: TASK_RUN_STATUS[progress.status],
    createdAt: shapeTimestamp(createdAt),
    updatedAt: shapeTimestamp(updatedAt),
    startedAt: progress.startedAt === null ? null : shapeTimestamp(new Date(progress.startedAt)),
    // The SDK's `finishedAt`: the hook's onComplete and closeOnComplete wait for it.
    completedAt: finished ? shapeTimestamp(progress.finishedAt === null ? updatedAt : new Date(progress.finishedAt)) : null,
    metadata: JSON.stringify({ [RUN_PROGRESS_METADATA_KEY]: compactRunProgress(progress) }),
    metadataType: "application/json",
    // Postgres' text form of a text[]. Every run has its LLM text stream, from the start: the
    // hook opens it on first sight, and it stays empty for a run without LLM nodes.
    realtimeStreams: `{${LLM_TEXT_STREAM_KEY}}`,
  };
}

/**
 * A time as Postgres' `timestamp` (without time zone) column holds it in UTC: the SDK appends
 * the "Z" itself. ISO's "T" form, so every browser parses the result.
 */
export function shapeTimestamp(time: Date): string {
  return time.toISOString().slice(0, -1);
}

/** The last moment anything in the progress happened (the progress carries no update time of its own). */
function latestTime(createdAt: Date, progress: RunProgress): Date {
  let latest = createdAt.getTime();
  const consider = (iso: string | null) => {
    const time = iso === null ? Number.NaN : Date.parse(iso);
    if (time > latest) latest = time;
  };
  consider(progress.startedAt);
  consider(progress.finishedAt);
  for (const node of Object.values(progress.nodes)) {
    consider(node.startedAt);
    consider(node.finishedAt);
  }
  return new Date(latest);
}

export type ShapeMessage =
  | { key: string; value: RunShapeRow; headers: { operation: "insert" | "update" } }
  | { headers: { control: "up-to-date" } };

const UP_TO_DATE: ShapeMessage = { headers: { control: "up-to-date" } };

/**
 * A response body: the row (an insert for a client starting from scratch, else an update carrying
 * every column), then "up-to-date", without which the client applies nothing. No row: nothing new.
 */
export function shapeMessages(row: RunShapeRow | null, operation: "insert" | "update"): ShapeMessage[] {
  if (row === null) return [UP_TO_DATE];
  // Electric's key format: table, then primary key.
  return [{ key: `"public"."TaskRun"/"${row.id}"`, value: row, headers: { operation } }, UP_TO_DATE];
}

/** Where a client is in a run's log: the log it follows (handle) and the last version it has. */
export interface ShapePosition {
  handle: string;
  version: number;
}

/** Electric offsets are `<lsn>_<op>`; the client only echoes them back. */
export function formatOffset(version: number): string {
  return `${version}_0`;
}

const OffsetSchema = z.union([
  z.literal("-1").transform(() => null),
  z
    .string()
    .regex(/^\d{1,15}_\d{1,15}$/)
    .transform((offset) => Number(offset.slice(0, offset.indexOf("_")))),
]);

/** The query the SDK's ShapeStream sends (it adds others, such as `log`, which change nothing here). */
export const ShapeQuerySchema = z.object({
  /** null: the client has nothing yet (`-1`). */
  offset: OffsetSchema,
  handle: z.string().max(200).optional(),
  live: z.enum(["true", "false"]).optional().transform((live) => live === "true"),
});
export type ShapeQuery = z.output<typeof ShapeQuerySchema>;

/** The client's position, or null when it must be sent the whole row. */
export function clientPosition(query: ShapeQuery): ShapePosition | null {
  return query.offset === null || query.handle === undefined ? null : { handle: query.handle, version: query.offset };
}

/**
 * Response headers the client requires (it fails with MissingHeadersError without them).
 * `electric-up-to-date` stops it from prefetching a next chunk that does not exist.
 */
export function shapeHeaders(position: ShapePosition, now = Date.now()): Headers {
  return new Headers({
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "electric-handle": position.handle,
    "electric-offset": formatOffset(position.version),
    "electric-schema": JSON.stringify(RUN_SHAPE_COLUMNS),
    // Electric's cache buster for live requests: any value that changes over time.
    "electric-cursor": String(Math.floor(now / 1000)),
    "electric-up-to-date": "true",
  });
}
