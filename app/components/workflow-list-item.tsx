import { Link, useFetcher } from "@remix-run/react";
import { useState } from "react";
import type { SketchInput } from "~/lib/graph-sketch";
import { MAX_WORKFLOW_NAME_LENGTH } from "~/lib/workflow-fields";
import { formatRelativeTime } from "~/lib/relative-time";
import type { RunStatus } from "~workflow/run-progress";
import { GraphSketch } from "./graph-sketch";
import { RunStatusBadge } from "./runs/status-badge";

/** What the workflows page's action answers when it does not redirect. */
export type WorkflowsActionData =
  | { ok: true }
  | {
      ok: false;
      /** The form the error belongs to, so it is shown there. */
      intent: string | null;
      error: string;
      /** For an import: every problem found in the file. */
      problems?: string[];
    };

export interface WorkflowListEntry {
  id: string;
  name: string;
  nodeCount: number;
  updatedAt: Date | string;
  lastRun: { status: RunStatus; createdAt: Date | string } | null;
  previewImageUrl: string | null;
  sketch: SketchInput;
}

const buttonClass = "rounded border border-line px-3 py-1 text-sm text-zinc-200 hover:bg-panel-2 disabled:opacity-60";

/** One workflow on the workflows page, with rename, duplicate and a two-step delete. */
export function WorkflowListItem({ workflow, now }: { workflow: WorkflowListEntry; now: Date | string }) {
  const fetcher = useFetcher<WorkflowsActionData>();
  const [mode, setMode] = useState<"idle" | "renaming" | "confirming-delete">("idle");
  const pendingIntent = fetcher.state === "idle" ? null : fetcher.formData?.get("intent");
  const pendingName = pendingIntent === "rename" ? fetcher.formData?.get("name") : null;
  const name = typeof pendingName === "string" && pendingName.trim() ? pendingName.trim() : workflow.name;
  const error = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;

  // Shown as gone at once; if the delete fails, the list reloads with it back and the error.
  if (pendingIntent === "delete") return null;

  const renameInputId = `rename-${workflow.id}`;
  return (
    <li className="rounded-lg border border-line bg-panel p-4">
      <div className="flex flex-wrap items-center gap-4">
        <WorkflowPreview workflow={workflow} />
        <div className="min-w-0 flex-1">
          <Link to={`/workflows/${workflow.id}`} className="block truncate font-medium text-zinc-100 hover:text-accent">
            {name}
          </Link>
          <p className="mt-1 text-sm text-zinc-400">
            {workflow.nodeCount === 1 ? "1 node" : `${workflow.nodeCount} nodes`} · Updated{" "}
            <time dateTime={new Date(workflow.updatedAt).toISOString()}>
              {formatRelativeTime(workflow.updatedAt, now)}
            </time>
          </p>
          <p className="mt-1 flex items-center gap-2 text-sm text-zinc-400" data-testid="last-run">
            {workflow.lastRun ? (
              <>
                <span>Last run</span>
                <RunStatusBadge status={workflow.lastRun.status} />
                <time dateTime={new Date(workflow.lastRun.createdAt).toISOString()}>
                  {formatRelativeTime(workflow.lastRun.createdAt, now)}
                </time>
              </>
            ) : (
              "Not run yet"
            )}
          </p>
        </div>
        {mode === "idle" ? (
          <div className="flex gap-2">
            <button type="button" className={buttonClass} onClick={() => setMode("renaming")}>
              Rename
            </button>
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="duplicate" />
              <input type="hidden" name="workflowId" value={workflow.id} />
              <button type="submit" className={buttonClass} disabled={pendingIntent === "duplicate"}>
                {pendingIntent === "duplicate" ? "Duplicating…" : "Duplicate"}
              </button>
            </fetcher.Form>
            <button type="button" className={buttonClass} onClick={() => setMode("confirming-delete")}>
              Delete
            </button>
          </div>
        ) : null}
      </div>

      {mode === "renaming" ? (
        // Closed on submit; the new name shows at once and an error, if any, appears below.
        <fetcher.Form method="post" className="mt-3 flex flex-wrap items-end gap-2" onSubmit={() => setMode("idle")}>
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="workflowId" value={workflow.id} />
          <div className="flex flex-col gap-1">
            <label htmlFor={renameInputId} className="text-sm text-zinc-300">
              New name
            </label>
            <input
              id={renameInputId}
              name="name"
              defaultValue={workflow.name}
              required
              maxLength={MAX_WORKFLOW_NAME_LENGTH}
              autoFocus
              className="w-72 rounded border border-line bg-panel-2 px-3 py-1.5 text-zinc-100 outline-none focus:border-accent"
            />
          </div>
          <button type="submit" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
            Save name
          </button>
          <button type="button" className={buttonClass} onClick={() => setMode("idle")}>
            Cancel
          </button>
        </fetcher.Form>
      ) : null}

      {mode === "confirming-delete" ? (
        <fetcher.Form method="post" className="mt-3 flex flex-wrap items-center gap-2">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="workflowId" value={workflow.id} />
          <p className="mr-2 text-sm text-zinc-200">Delete {workflow.name}? This cannot be undone.</p>
          <button type="submit" className="rounded bg-red-600 px-3 py-1 text-sm font-medium text-white hover:bg-red-500">
            Confirm delete
          </button>
          <button type="button" className={buttonClass} onClick={() => setMode("idle")}>
            Cancel
          </button>
        </fetcher.Form>
      ) : null}

      {error ? (
        <p role="alert" className="mt-3 text-sm text-red-300">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** The last run's newest image when it made one, else the graph's sketch: fixed size, never stretching the row. */
function WorkflowPreview({ workflow }: { workflow: WorkflowListEntry }) {
  const className = "h-16 w-24 shrink-0";
  if (workflow.previewImageUrl) {
    return (
      <img
        src={workflow.previewImageUrl}
        alt={`Latest output of ${workflow.name}`}
        loading="lazy"
        className={`${className} rounded-md border border-line bg-black/40 object-cover`}
      />
    );
  }
  return <GraphSketch graph={workflow.sketch} className={className} />;
}
