import type { ReactNode } from "react";
import { getNodeDefinition } from "~workflow/nodes/registry";
import type { PortDefinition } from "~workflow/nodes/types";
import type { NodeRunView } from "~/lib/runs/node-run-view";
import { displayValue } from "~/lib/runs/port-values";
import type { NodeExecution } from "~/lib/runs/run-schemas";
import { formatDuration } from "~/lib/runs/run-labels";
import { costLabel } from "~/lib/cost-labels";
import { RunValue } from "./run-value";
import { NodeStatusBadge } from "./status-badge";
import { CachedBadge } from "~/components/flow/node-run-result";

/**
 * Where the list is shown. In the history panel it sits under a run's row in a narrow sidebar:
 * compact, and a preview only while the node runs (its records load as soon as it ends). The run
 * page gives it a column of its own: roomier, each node an anchor the canvas scrolls to, the
 * preview kept until the page's data has the full outputs, and an error announced as an alert.
 */
export type NodeDetailsVariant = "panel" | "page";

const STYLES = {
  panel: {
    list: "flex flex-col gap-1.5",
    item: "rounded-md border border-line bg-panel px-2.5 py-2",
    name: "min-w-0 truncate text-[12px] font-semibold text-zinc-100",
    id: "min-w-0 flex-1 truncate font-mono text-[10px] text-zinc-500",
    section: "mt-1.5",
    sectionTitle: "mb-0.5 text-[10px] font-semibold uppercase tracking-wide text-zinc-500",
    ports: "flex flex-col gap-1",
    error: "mt-1.5 whitespace-pre-wrap break-words rounded px-2 py-1 text-[12px]",
  },
  page: {
    list: "flex flex-col gap-3",
    item: "scroll-mt-3 rounded-xl border bg-panel p-3 transition-colors",
    name: "min-w-0 truncate text-sm font-semibold text-zinc-100",
    id: "min-w-0 flex-1 truncate font-mono text-[11px] text-zinc-500",
    section: "mt-3",
    sectionTitle: "mb-1.5 text-[10px] font-semibold uppercase tracking-wider text-zinc-500",
    ports: "flex flex-col gap-2",
    error: "mt-2 whitespace-pre-wrap break-words rounded-md border border-red-500/40 bg-red-500/10 px-2 py-1.5 text-[12px] text-red-200",
  },
} satisfies Record<NodeDetailsVariant, Record<string, string>>;

/** The id of a node's entry on the run page, so a click on the canvas can bring it into view. */
export function nodeDetailsId(nodeId: string): string {
  return `node-details-${nodeId}`;
}

/** Every node of a run: status, the inputs it used, its outputs, time and error. */
export function NodeDetailsList({
  nodes,
  views,
  variant,
  label,
  highlighted = null,
}: {
  nodes: readonly NodeExecution[];
  views: Readonly<Record<string, NodeRunView>>;
  variant: NodeDetailsVariant;
  /** The list's accessible name. */
  label: string;
  /** The node last clicked on the run page's canvas. */
  highlighted?: string | null;
}) {
  return (
    <ol aria-label={label} className={STYLES[variant].list}>
      {nodes.map((node) => (
        <NodeDetails key={node.nodeId} node={node} view={views[node.nodeId]} variant={variant} highlighted={highlighted === node.nodeId} />
      ))}
    </ol>
  );
}

function NodeDetails({ node, view, variant, highlighted }: { node: NodeExecution; view: NodeRunView | undefined; variant: NodeDetailsVariant; highlighted: boolean }) {
  const styles = STYLES[variant];
  const onPage = variant === "page";
  const definition = getNodeDefinition(node.nodeType);
  const label = definition?.label ?? node.nodeType;
  const owner = `${label} ${node.nodeId}`;
  const status = view?.status ?? node.status;
  const durationMs = view ? view.durationMs : node.durationMs;
  const error = view ? view.error : node.error;
  const inputs = node.inputs ? portEntries(definition?.inputs, node.inputs) : [];
  const outputs = view?.outputs ? portEntries(definition?.outputs, view.outputs) : [];
  const preview = outputs.length === 0 && (onPage || status === "running") ? (view?.preview ?? null) : null;
  // In the panel a skipped or cancelled node's reason reads as a note, not a failure.
  const errorTone = onPage ? "" : status === "failed" ? "bg-red-500/10 text-red-200" : "bg-zinc-500/10 text-zinc-400";
  const Name = onPage ? "h3" : "span";

  return (
    <li
      id={onPage ? nodeDetailsId(node.nodeId) : undefined}
      aria-label={owner}
      className={`${styles.item} ${onPage ? (highlighted ? "border-accent" : "border-line") : ""}`}
    >
      <div className="flex items-center gap-2">
        <Name className={styles.name}>{label}</Name>
        <span className={styles.id} title={node.nodeId}>
          {node.nodeId}
        </span>
        {durationMs === null ? null : <span className="shrink-0 text-[11px] tabular-nums text-zinc-400">{formatDuration(durationMs)}</span>}
        <CachedBadge view={view ?? { cached: node.cachedFromExecutionId !== null, cachedFromRunId: node.cachedFromRunId }} />
        {node.usage === null ? null : <span className="shrink-0 text-[11px] tabular-nums text-zinc-400">{costLabel(node.costUsd)}</span>}
        <NodeStatusBadge status={status} />
      </div>
      {error ? (
        <p role={onPage ? "alert" : undefined} className={`${styles.error} ${errorTone}`}>
          {error}
        </p>
      ) : null}
      {inputs.length > 0 ? <PortList title="Inputs used" kind="input" entries={inputs} owner={owner} variant={variant} /> : null}
      {outputs.length > 0 ? <PortList title="Outputs" kind="output" entries={outputs} owner={owner} variant={variant} /> : null}
      {preview ? (
        <Section title="Output so far" variant={variant}>
          <RunValue value={preview} label={`${owner} output`} />
        </Section>
      ) : null}
    </li>
  );
}

function Section({ title, variant, children }: { title: string; variant: NodeDetailsVariant; children: ReactNode }) {
  // The page's outline runs h1 > h2 > h3 per node > h4 per section; the panel's rows have no headings.
  const Title = variant === "page" ? "h4" : "p";
  return (
    <section className={STYLES[variant].section}>
      <Title className={STYLES[variant].sectionTitle}>{title}</Title>
      {children}
    </section>
  );
}

interface PortEntry {
  id: string;
  label: string;
  value: unknown;
}

function PortList({
  title,
  kind,
  entries,
  owner,
  variant,
}: {
  title: string;
  kind: "input" | "output";
  entries: PortEntry[];
  owner: string;
  variant: NodeDetailsVariant;
}) {
  return (
    <Section title={title} variant={variant}>
      <dl className={STYLES[variant].ports}>
        {entries.map((entry) => (
          <div key={entry.id} className={`flex gap-x-2 gap-y-0.5 ${isShort(entry.value) ? "items-baseline" : "flex-col"}`}>
            <dt className="shrink-0 text-[11px] text-zinc-400">{entry.label}</dt>
            <dd>
              <RunValue value={entry.value} label={`${owner} ${kind} ${entry.label}`} />
            </dd>
          </div>
        ))}
      </dl>
    </Section>
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
