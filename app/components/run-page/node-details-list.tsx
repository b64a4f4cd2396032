import type { ReactNode } from "react";
import type { NodeRunView } from "~/components/flow/run-overlay";
import { RunValue } from "~/components/runs/run-value";
import { NodeStatusBadge } from "~/components/runs/status-badge";
import { getNodeDefinition } from "~/lib/nodes/registry";
import type { PortDefinition } from "~/lib/nodes/types";
import type { NodeExecution } from "~/lib/runs/run-api";
import { formatDuration } from "~/lib/runs/run-labels";

/** The id of a node's entry in the list, so a click on the canvas can bring it into view. */
export function nodeDetailsId(nodeId: string): string {
  return `node-details-${nodeId}`;
}

/** Every node of the run: status, the inputs it used, its outputs, time and error. */
export function NodeDetailsList({
  nodes,
  views,
  highlighted,
}: {
  nodes: readonly NodeExecution[];
  views: Readonly<Record<string, NodeRunView>>;
  highlighted: string | null;
}) {
  return (
    <ol aria-label="Nodes of this run" className="flex flex-col gap-3">
      {nodes.map((node) => (
        <NodeDetails key={node.nodeId} node={node} view={views[node.nodeId]} highlighted={highlighted === node.nodeId} />
      ))}
    </ol>
  );
}

function NodeDetails({ node, view, highlighted }: { node: NodeExecution; view: NodeRunView | undefined; highlighted: boolean }) {
  const definition = getNodeDefinition(node.nodeType);
  const label = definition?.label ?? node.nodeType;
  const status = view?.status ?? node.status;
  const durationMs = view ? view.durationMs : node.durationMs;
  const error = view ? view.error : node.error;
  const outputs = view?.outputs ?? null;
  const inputs = node.inputs ? portEntries(definition?.inputs, node.inputs) : [];

  return (
    <li
      id={nodeDetailsId(node.nodeId)}
      aria-label={`${label} ${node.nodeId}`}
      className={`scroll-mt-3 rounded-xl border bg-panel p-3 transition-colors ${highlighted ? "border-accent" : "border-line"}`}
    >
      <div className="flex items-center gap-2">
        <h3 className="min-w-0 truncate text-sm font-semibold text-zinc-100">{label}</h3>
        <span className="min-w-0 truncate font-mono text-[11px] text-zinc-500" title={node.nodeId}>
          {node.nodeId}
        </span>
        <span className="ml-auto" />
        {durationMs === null ? null : <span className="shrink-0 text-[11px] text-zinc-400">{formatDuration(durationMs)}</span>}
        <NodeStatusBadge status={status} />
      </div>

      {error ? (
        <p role="alert" className="mt-2 whitespace-pre-wrap break-words rounded-md border border-red-500/40 bg-red-500/10 px-2 py-1.5 text-[12px] text-red-200">
          {error}
        </p>
      ) : null}

      {inputs.length > 0 ? (
        <PortSection title="Inputs used">
          {inputs.map(({ id, label: portLabel, value }) => (
            <PortRow key={id} label={portLabel}>
              <RunValue value={value} label={`${label} ${node.nodeId} input ${portLabel}`} />
            </PortRow>
          ))}
        </PortSection>
      ) : null}

      {outputs ? (
        <PortSection title="Outputs">
          {portEntries(definition?.outputs, outputs).map(({ id, label: portLabel, value }) => (
            <PortRow key={id} label={portLabel}>
              <RunValue value={value} label={`${label} ${node.nodeId} output ${portLabel}`} />
            </PortRow>
          ))}
        </PortSection>
      ) : view?.preview ? (
        <PortSection title="Output so far">
          <RunValue value={view.preview} label={`${label} ${node.nodeId} output`} />
        </PortSection>
      ) : null}
    </li>
  );
}

/** A node's values by port, in the order its definition lists the ports (unknown ports last, by id). */
function portEntries(ports: readonly PortDefinition[] | undefined, values: Readonly<Record<string, unknown>>) {
  const known = (ports ?? []).filter((port) => Object.hasOwn(values, port.id)).map((port) => ({ id: port.id, label: port.label, value: values[port.id] }));
  const listed = new Set(known.map((entry) => entry.id));
  const rest = Object.keys(values)
    .filter((id) => !listed.has(id))
    .sort()
    .map((id) => ({ id, label: id, value: values[id] }));
  return [...known, ...rest];
}

function PortSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mt-3">
      <h4 className="mb-1.5 text-[10px] font-semibold uppercase tracking-wider text-zinc-500">{title}</h4>
      <div className="flex flex-col gap-2">{children}</div>
    </section>
  );
}

function PortRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-[11px] font-medium text-zinc-400">{label}</span>
      {children}
    </div>
  );
}
