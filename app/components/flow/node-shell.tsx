import { Handle, Position } from "@xyflow/react";
import { useId, useMemo, type ReactNode } from "react";
import { useEditor, useEditorActions, useEditorStoreApi } from "~/components/editor/editor-store-context";
import type { EditorNodeData } from "~/lib/editor/graph-conversion";
import { feedingNodeNames, type FeedIndex } from "~/lib/editor/graph-editing";
import type { EditorState, EditorStore } from "~/lib/editor/store";
import { fieldText, numberFieldValue, paramErrors } from "~/lib/editor/param-values";
import { getNodeDefinition, type NodeType } from "~workflow/nodes/registry";
import type { PortDefinition } from "~workflow/nodes/types";
import { NodeMenu } from "./node-menu";
import { useNodeEstimate } from "~/components/editor/run-estimates-context";
import { formatUsd } from "~workflow/cost/usage";
import { CachedBadge, NodeOutputMedia, NodeRunResult, NodeRunStatus } from "./node-run-result";
import { NODE_STATUS_LABELS } from "~/lib/runs/run-labels";
import { CATEGORY_COLORS, PORT_COLORS, PORT_TYPE_LABELS } from "./port-styles";
import { useZoomedOut } from "./level-of-detail";
import { useNodeRun, useNodeRunStatus, useReadOnlyCanvas } from "./run-overlay";

/** How an inline input is typed: the port type decides, unless a node says otherwise (a timestamp takes "50%"). */
export type FieldKind = "textarea" | "number" | "text";

const DEFAULT_FIELD_KINDS: Record<PortDefinition["type"], FieldKind> = {
  text: "textarea",
  number: "number",
  image: "text",
  video: "text",
};

const FIELD_BASE_CLASS =
  "nodrag nowheel w-full rounded-md border border-line bg-canvas/70 px-2 py-1.5 text-[13px] leading-snug text-zinc-100 outline-none placeholder:text-zinc-600 focus:border-accent aria-invalid:border-red-500/80";

export const fieldClass = `${FIELD_BASE_CLASS} disabled:cursor-not-allowed disabled:opacity-40`;

/**
 * A field's class: disabled fields are greyed, except on a read-only canvas (run and share
 * pages), where every field is disabled and the values typed on nodes must stay legible.
 */
export function fieldClassFor(readOnly: boolean, connected = false): string {
  return readOnly && !connected ? FIELD_BASE_CLASS : fieldClass;
}

/** Rows of a compact node's handles, one port each side per row. */
const COMPACT_ROW_PX = 28;

/**
 * The frame every node shares, drawn from the registry: a header coloured by category, one row
 * per input port (a handle, and the field when the value can be typed), the node's own content,
 * one row per output, and what the run laid over the canvas says of this node (its status in
 * the frame's colour, its error, its result).
 */
export function NodeShell(props: NodeShellProps) {
  const zoomedOut = useZoomedOut();
  return zoomedOut ? <CompactNode id={props.id} type={props.type} selected={props.selected} /> : <FullNode {...props} />;
}

interface NodeShellProps {
  id: string;
  type: NodeType;
  data: EditorNodeData;
  selected: boolean;
  fieldKinds?: Partial<Record<string, FieldKind>>;
  /** Node-specific content, shown above the input rows (e.g. the model picker or the upload area). */
  children?: ReactNode;
}

function FullNode({ id, type, data, selected, fieldKinds = {}, children }: NodeShellProps) {
  const definition = getNodeDefinition(type);
  const errors = useMemo(() => paramErrors(type, data), [type, data]);
  const accent = CATEGORY_COLORS[definition.category];
  const run = useNodeRun(id);
  const readOnly = useReadOnlyCanvas();

  // No transition on the frame: a status change shows at once, and fading shadows and opacity
  // across hundreds of nodes would keep the browser repainting during a run (ADR 010).
  return (
    <div
      data-testid={`node-${id}`}
      data-run-status={run?.status}
      role="group"
      aria-label={`${definition.label} ${id}`}
      className={`weft-node w-72 rounded-xl border bg-[#15151e] text-zinc-100 shadow-[0_8px_30px_rgba(0,0,0,0.45)] ${
        selected ? "border-accent shadow-[0_0_0_1px_#8b5cf6,0_8px_30px_rgba(139,92,246,0.25)]" : "border-[#2c2c3a] hover:border-[#3a3a4c]"
      }`}
    >
      <header
        className="flex items-center gap-2 rounded-t-xl border-b border-[#2c2c3a] px-3 py-2"
        style={{ background: `linear-gradient(90deg, ${accent}2e, ${accent}08 70%, transparent)` }}
      >
        <span aria-hidden className="h-2.5 w-2.5 shrink-0 rounded-sm" style={{ background: accent }} />
        <h3 className="shrink-0 text-[13px] font-semibold tracking-tight">{definition.label}</h3>
        <span className="min-w-0 truncate font-mono text-[10px] text-zinc-500" title={id}>
          {id}
        </span>
        <span className="ml-auto" />
        {run ? <CachedBadge view={run} /> : null}
        {run ? <NodeRunStatus view={run} /> : <NodeEstimateChip nodeId={id} />}
        {readOnly ? null : <NodeMenu nodeId={id} />}
      </header>

      <div className="flex flex-col gap-1 py-2">
        {children ? <div className="px-3 pb-1">{children}</div> : null}
        {definition.inputs.map((port: PortDefinition) =>
          port.inline ? (
            <InlineInput
              key={port.id}
              nodeId={id}
              port={port}
              kind={fieldKinds[port.id] ?? DEFAULT_FIELD_KINDS[port.type]}
              value={data[port.id]}
              error={errors[port.id]}
            />
          ) : (
            <HandleInput key={port.id} nodeId={id} port={port} />
          ),
        )}
        {definition.outputs.map((port: PortDefinition, index) => (
          <div key={port.id} className="relative flex items-center justify-end gap-2 px-3 py-1">
            {run && index === 0 ? <NodeOutputMedia nodeId={id} type={type} view={run} /> : null}
            <span className="text-[11px] font-medium text-zinc-400">{port.label}</span>
            <PortHandle port={port} kind="source" />
          </div>
        ))}
        {errors[""] ? (
          <div className="px-3">
            <FieldError message={errors[""]} />
          </div>
        ) : null}
        {run ? <NodeRunResult nodeId={id} type={type} view={run} /> : null}
      </div>
    </div>
  );
}

/**
 * A node as drawn when zoomed far out (level-of-detail.ts): the header's colour and label, and a
 * handle per port so edges stay attached. The run's status is a ring of its colour round the
 * frame (flow.css) and part of its accessible name: a status change only repaints the frame, so
 * it never changes the node's size (React Flow would measure it again) or the page's layout.
 */
function CompactNode({ id, type, selected }: { id: string; type: NodeType; selected: boolean }) {
  const definition = getNodeDefinition(type);
  const status = useNodeRunStatus(id);
  const accent = CATEGORY_COLORS[definition.category];
  const rows = Math.max(definition.inputs.length, definition.outputs.length);
  return (
    <div
      data-testid={`node-${id}`}
      data-run-status={status ?? undefined}
      data-compact=""
      role="group"
      aria-label={`${definition.label} ${id}${status ? `, ${NODE_STATUS_LABELS[status].toLowerCase()}` : ""}`}
      className={`weft-node w-72 rounded-xl border bg-[#15151e] text-zinc-100 ${selected ? "border-accent" : "border-[#2c2c3a]"}`}
    >
      <header className="flex items-center gap-3 rounded-t-xl px-4 py-3" style={{ background: `linear-gradient(90deg, ${accent}40, ${accent}10)` }}>
        <span aria-hidden className="h-5 w-5 shrink-0 rounded" style={{ background: accent }} />
        <h3 className="min-w-0 truncate text-2xl font-semibold tracking-tight">{definition.label}</h3>
      </header>
      <div className="relative" style={{ height: rows * COMPACT_ROW_PX + 8 }}>
        {definition.inputs.map((port, row) => (
          <PortHandle key={port.id} port={port} kind="target" top={4 + COMPACT_ROW_PX * row + COMPACT_ROW_PX / 2} />
        ))}
        {definition.outputs.map((port, row) => (
          <PortHandle key={port.id} port={port} kind="source" top={4 + COMPACT_ROW_PX * row + COMPACT_ROW_PX / 2} />
        ))}
      </div>
    </div>
  );
}

/** A handle coloured by its port type, with a tooltip saying what it carries. */
export function PortHandle({ port, kind, top }: { port: PortDefinition; kind: "source" | "target"; top?: number }) {
  const carries = `${PORT_TYPE_LABELS[port.type].toLowerCase()}${port.multiple ? ", many connections" : ""}`;
  const readOnly = useReadOnlyCanvas();
  return (
    <Handle
      type={kind}
      id={port.id}
      isConnectable={!readOnly}
      position={kind === "source" ? Position.Right : Position.Left}
      title={`${port.label} (${carries})`}
      data-port-type={port.type}
      className="weft-handle"
      style={{ background: PORT_COLORS[port.type], ...(top === undefined ? {} : { top }) }}
    />
  );
}

const NO_FEEDS: readonly string[] = [];

/** Each editor's feed index, with the nodes and edges it was made from. */
const feedIndexes = new WeakMap<EditorStore, { nodes: EditorState["nodes"]; edges: EditorState["edges"]; index: FeedIndex }>();

/**
 * The editor's feed index for this state, made once per change of its nodes or edges rather than
 * once per input (a graph of hundreds of nodes has a thousand inputs, and React Flow reports
 * nodes' measured sizes through the store many times a second during a run).
 */
function feedIndexFor(store: EditorStore, state: EditorState): FeedIndex {
  const cached = feedIndexes.get(store);
  if (cached && cached.nodes === state.nodes && cached.edges === state.edges) return cached.index;
  const index = feedingNodeNames(state.nodes, state.edges, cached?.index);
  feedIndexes.set(store, { nodes: state.nodes, edges: state.edges, index });
  return index;
}

/** "← Text (product-details)": which nodes feed this input. */
function useFeeds(nodeId: string, portId: string): readonly string[] {
  const store = useEditorStoreApi();
  return useEditor((state) => feedIndexFor(store, state).get(nodeId)?.get(portId) ?? NO_FEEDS);
}

function FeedChips({ feeds }: { feeds: readonly string[] }) {
  return (
    <span className="flex min-w-0 flex-wrap justify-end gap-1">
      {feeds.map((name, index) => (
        <span
          key={`${name}-${index}`}
          className="max-w-full truncate rounded-full bg-accent/15 px-2 py-0.5 text-[10px] font-medium text-violet-200"
        >
          ← {name}
        </span>
      ))}
    </span>
  );
}

function HandleInput({ nodeId, port }: { nodeId: string; port: PortDefinition }) {
  const feeds = useFeeds(nodeId, port.id);
  const readOnly = useReadOnlyCanvas();
  // A many-edge port takes its values in the order listed here (Concat Videos joins them so).
  if (port.multiple && feeds.length > 1 && !readOnly) return <OrderedFeeds nodeId={nodeId} port={port} feeds={feeds} />;
  return (
    <div className="relative flex min-h-7 items-center gap-2 px-3 py-1">
      <PortHandle port={port} kind="target" />
      <span className="shrink-0 text-[11px] font-medium text-zinc-400">
        {port.label}
        {port.required ? <RequiredMark /> : null}
        {port.multiple ? <span className="ml-1 text-zinc-600">(any number)</span> : null}
      </span>
      <span className="ml-auto min-w-0">
        <FeedChips feeds={feeds} />
      </span>
    </div>
  );
}

/** A many-edge port's connections, numbered in order, each movable one place up or down. */
function OrderedFeeds({ nodeId, port, feeds }: { nodeId: string; port: PortDefinition; feeds: readonly string[] }) {
  const { moveFeed } = useEditorActions();
  const button =
    "nodrag rounded px-1 text-[11px] leading-none text-zinc-400 hover:bg-white/10 hover:text-zinc-100 disabled:invisible";
  return (
    <div className="relative px-3 py-1">
      <PortHandle port={port} kind="target" top={15} />
      <span className="text-[11px] font-medium text-zinc-400">
        {port.label}
        {port.required ? <RequiredMark /> : null}
        <span className="ml-1 text-zinc-600">(in this order)</span>
      </span>
      <ol aria-label={`${port.label} in order`} className="mt-1 flex flex-col gap-0.5">
        {feeds.map((name, index) => (
          <li
            key={`${name}-${index}`}
            className="flex items-center gap-1 rounded-full bg-accent/15 px-2 py-0.5 text-[10px] font-medium text-violet-200"
          >
            <span className="text-zinc-500">{index + 1}.</span>
            <span className="min-w-0 truncate">← {name}</span>
            <span className="ml-auto flex shrink-0 gap-0.5">
              <button
                type="button"
                className={button}
                disabled={index === 0}
                aria-label={`Move ${name} earlier`}
                onClick={() => moveFeed(nodeId, port.id, index, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className={button}
                disabled={index === feeds.length - 1}
                aria-label={`Move ${name} later`}
                onClick={() => moveFeed(nodeId, port.id, index, 1)}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function InlineInput({
  nodeId,
  port,
  kind,
  value,
  error,
}: {
  nodeId: string;
  port: PortDefinition;
  kind: FieldKind;
  value: unknown;
  error: string | undefined;
}) {
  const fieldId = useId();
  const errorId = `${fieldId}-error`;
  const feeds = useFeeds(nodeId, port.id);
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  const connected = feeds.length > 0;
  const common = {
    id: fieldId,
    disabled: connected || readOnly,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
    className: fieldClassFor(readOnly, connected),
  } as const;

  const label = (
    <label htmlFor={fieldId} className="shrink-0 text-[11px] font-medium text-zinc-400">
      {port.label}
      {port.required ? <RequiredMark /> : null}
    </label>
  );

  if (kind === "textarea") {
    return (
      <div className="relative px-3 py-1">
        <PortHandle port={port} kind="target" top={15} />
        <div className="mb-1 flex items-center gap-2">
          {label}
          <span className="ml-auto min-w-0">
            <FeedChips feeds={feeds} />
          </span>
        </div>
        {/* A connected field shrinks to one greyed line: its value comes from the chip's node. */}
        <textarea
          {...common}
          rows={connected ? 1 : 3}
          value={connected ? "" : fieldText(value)}
          placeholder={connected ? "Comes from the connection" : undefined}
          onChange={(event) => updateParam(nodeId, port.id, event.target.value)}
          className={`${common.className} ${connected ? "resize-none" : "resize-y"}`}
        />
        {error ? <FieldError id={errorId} message={error} /> : null}
      </div>
    );
  }

  // Short values sit beside their label, keeping nodes such as Crop Image compact.
  return (
    <div className="relative px-3 py-1">
      <PortHandle port={port} kind="target" top={18} />
      <div className="flex items-center gap-2">
        <span className="w-20 shrink-0">{label}</span>
        <input
          {...common}
          type={kind}
          inputMode={kind === "number" ? "decimal" : undefined}
          value={connected ? "" : fieldText(value)}
          placeholder={connected ? "Connected" : undefined}
          onChange={(event) =>
            updateParam(nodeId, port.id, kind === "number" ? numberFieldValue(event.target.value) : event.target.value)
          }
          className={`${common.className} py-1`}
        />
      </div>
      {connected ? (
        <div className="mt-1 flex justify-end">
          <FeedChips feeds={feeds} />
        </div>
      ) : null}
      {error ? <FieldError id={errorId} message={error} /> : null}
    </div>
  );
}

function RequiredMark() {
  return (
    <span aria-hidden className="ml-0.5 text-accent">
      *
    </span>
  );
}

export function FieldError({ id, message }: { id?: string; message: string }) {
  return (
    <p id={id} className="mt-1 px-0 text-[11px] leading-snug text-red-300">
      {message}
    </p>
  );
}

/** Before a run, what a paid node will cost when the whole workflow runs; the basis on hover. */
function NodeEstimateChip({ nodeId }: { nodeId: string }) {
  const estimate = useNodeEstimate(nodeId);
  if (!estimate || estimate.usd === 0) return null;
  const label = estimate.usd === null ? "price unknown" : `≈ ${formatUsd(estimate.usd)}`;
  return (
    <span
      data-testid={`node-estimate-${nodeId}`}
      title={`Estimated cost: ${estimate.basis}`}
      className="shrink-0 whitespace-nowrap rounded-full bg-amber-500/15 px-1.5 py-0.5 text-[10px] font-medium leading-none tabular-nums text-amber-200"
    >
      {label}
    </span>
  );
}
