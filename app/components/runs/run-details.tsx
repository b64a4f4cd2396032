import { Link } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { getNodeDefinition } from "~/lib/nodes/registry";
import type { PortDefinition } from "~/lib/nodes/types";
import { nodeRunViews, type NodeRunView } from "~/lib/runs/node-run-view";
import { displayValue } from "~/lib/runs/port-values";
import type { NodeExecution, RunSummary } from "~/lib/runs/run-api";
import { canRetry, formatDuration, isUnfinishedRun } from "~/lib/runs/run-labels";
import { isRunBusy } from "~/lib/runs/runs-store";
import { RunValue } from "./run-value";
import { useRunController, useRuns } from "./runs-context";
import { NodeStatusBadge } from "./status-badge";

const actionClass =
  "rounded-md border border-line bg-panel-2 px-2.5 py-1 text-[12px] font-medium text-zinc-200 hover:border-[#3a3a4c] hover:text-white disabled:cursor-not-allowed disabled:opacity-40";

/**
 * A run's node-level details: each node's status, the inputs it used, its outputs, time and
 * error. The run followed live shows its progress over the records loaded so far.
 */
export function RunDetails({ run }: { run: RunSummary }) {
  const controller = useRunController();
  const detail = useRuns((state) => state.details[run.id] ?? null);
  const progress = useRuns((state) => (state.active?.runId === run.id ? state.active.progress : null));
  const busy = useRuns(isRunBusy);
  const [loadError, setLoadError] = useState<string | null>(null);
  const views = useMemo(() => nodeRunViews(progress, detail), [progress, detail]);
  const loaded = detail !== null;

  useEffect(() => {
    if (loaded || !controller) return;
    let cancelled = false;
    void controller.loadDetail(run.id).then((result) => {
      if (!cancelled) setLoadError(result.ok ? null : result.message);
    });
    return () => {
      cancelled = true;
    };
  }, [loaded, controller, run.id]);

  const unfinished = isUnfinishedRun(run.status);
  return (
    <div className="flex flex-col gap-2">
      {run.error ? <p className="rounded-md bg-red-500/10 px-2 py-1.5 text-[12px] text-red-200">{run.error}</p> : null}
      <div className="flex flex-wrap items-center gap-2">
        {canRetry(run.status) && controller ? (
          <button type="button" disabled={busy} onClick={() => void controller.retry(run.id)} className={actionClass}>
            Retry failed
          </button>
        ) : null}
        {unfinished && controller ? (
          <button type="button" onClick={() => void controller.cancel(run.id)} className={actionClass}>
            Cancel run
          </button>
        ) : null}
        <Link to={`/runs/${encodeURIComponent(run.id)}`} className="ml-auto text-[12px] font-medium text-violet-300 hover:text-violet-200">
          Open run page →
        </Link>
      </div>
      {detail ? (
        <ol aria-label="Nodes" className="flex flex-col gap-1.5">
          {detail.nodes.map((node) => (
            <NodeDetails key={node.nodeId} node={node} view={views[node.nodeId]} />
          ))}
        </ol>
      ) : loadError ? (
        <p role="alert" className="text-[12px] text-red-300">
          {loadError}
        </p>
      ) : (
        <p className="text-[12px] text-zinc-500">Loading the run’s nodes…</p>
      )}
    </div>
  );
}

function NodeDetails({ node, view }: { node: NodeExecution; view: NodeRunView | undefined }) {
  const definition = getNodeDefinition(node.nodeType);
  const label = definition?.label ?? node.nodeType;
  const status = view?.status ?? node.status;
  const durationMs = view ? view.durationMs : node.durationMs;
  const error = view ? view.error : node.error;
  const inputs = node.inputs ? portEntries(definition?.inputs, node.inputs) : [];
  const outputs = view?.outputs ? portEntries(definition?.outputs, view.outputs) : [];
  const preview = outputs.length === 0 && status === "running" ? (view?.preview ?? null) : null;

  return (
    <li aria-label={`${label} ${node.nodeId}`} className="rounded-md border border-line bg-panel px-2.5 py-2">
      <div className="flex items-center gap-2">
        <span className="min-w-0 truncate text-[12px] font-semibold text-zinc-100">{label}</span>
        <span className="min-w-0 flex-1 truncate font-mono text-[10px] text-zinc-500" title={node.nodeId}>
          {node.nodeId}
        </span>
        {durationMs === null ? null : <span className="shrink-0 text-[11px] tabular-nums text-zinc-400">{formatDuration(durationMs)}</span>}
        <NodeStatusBadge status={status} />
      </div>
      {error ? (
        <p
          className={`mt-1.5 whitespace-pre-wrap break-words rounded px-2 py-1 text-[12px] ${
            status === "failed" ? "bg-red-500/10 text-red-200" : "bg-zinc-500/10 text-zinc-400"
          }`}
        >
          {error}
        </p>
      ) : null}
      {inputs.length > 0 ? <PortList title="Inputs used" entries={inputs} owner={`${label} ${node.nodeId}`} /> : null}
      {outputs.length > 0 ? <PortList title="Outputs" entries={outputs} owner={`${label} ${node.nodeId}`} /> : null}
      {preview ? (
        <div className="mt-1.5">
          <p className="mb-0.5 text-[10px] font-semibold uppercase tracking-wide text-zinc-500">Output so far</p>
          <RunValue value={preview} label={`${label} ${node.nodeId} output`} />
        </div>
      ) : null}
    </li>
  );
}

interface PortEntry {
  id: string;
  label: string;
  value: unknown;
}

function PortList({ title, entries, owner }: { title: string; entries: PortEntry[]; owner: string }) {
  return (
    <div className="mt-1.5">
      <p className="mb-0.5 text-[10px] font-semibold uppercase tracking-wide text-zinc-500">{title}</p>
      <dl className="flex flex-col gap-1">
        {entries.map((entry) => (
          <div key={entry.id} className={`flex gap-x-2 gap-y-0.5 ${isShort(entry.value) ? "items-baseline" : "flex-col"}`}>
            <dt className="shrink-0 text-[11px] text-zinc-400">{entry.label}</dt>
            <dd>
              <RunValue value={entry.value} label={`${owner} ${title === "Outputs" ? "output" : "input"} ${entry.label}`} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Numbers and a few words sit beside their label; longer text and media go below it. */
function isShort(value: unknown): boolean {
  const shown = displayValue(value);
  return shown.kind === "text" && shown.text.length <= 32 && !shown.text.includes("\n");
}

/** A node's values by port, in the order its type lists the ports; ports it does not list come last. */
function portEntries(ports: readonly PortDefinition[] | undefined, values: Readonly<Record<string, unknown>>): PortEntry[] {
  const known = (ports ?? []).filter((port) => Object.hasOwn(values, port.id));
  const listed = new Set(known.map((port) => port.id));
  return [
    ...known.map((port) => ({ id: port.id, label: port.label, value: values[port.id] })),
    ...Object.keys(values)
      .filter((id) => !listed.has(id))
      .sort()
      .map((id) => ({ id, label: id, value: values[id] })),
  ];
}
