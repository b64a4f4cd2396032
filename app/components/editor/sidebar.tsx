import { useState } from "react";
import { NODE_DRAG_TYPE } from "~/components/flow/flow-canvas";
import { PortLegend } from "~/components/flow/port-legend";
import { CATEGORY_COLORS } from "~/components/flow/port-styles";
import { NODE_DEFINITIONS, NODE_TYPES, type NodeType } from "~workflow/nodes/registry";

/** The node palette: click a node to add it in the middle of the view, or drag it onto the canvas. */
export function Sidebar({ onAdd }: { onAdd: (type: NodeType) => void }) {
  const [collapsed, setCollapsed] = useState(false);
  const [query, setQuery] = useState("");
  const needle = query.trim().toLowerCase();
  const matches = NODE_TYPES.filter((type) => {
    const { label, description } = NODE_DEFINITIONS[type];
    return !needle || label.toLowerCase().includes(needle) || description.toLowerCase().includes(needle);
  });

  if (collapsed) {
    return (
      <aside aria-label="Nodes" className="flex w-11 shrink-0 flex-col items-center border-r border-line bg-panel py-2">
        <button
          type="button"
          aria-label="Expand sidebar"
          aria-expanded={false}
          onClick={() => setCollapsed(false)}
          className="flex h-8 w-8 items-center justify-center rounded-md text-zinc-400 hover:bg-panel-2 hover:text-zinc-100"
        >
          »
        </button>
      </aside>
    );
  }

  return (
    <aside aria-label="Nodes" className="flex w-60 shrink-0 flex-col border-r border-line bg-panel">
      <div className="flex items-center justify-between px-3 pb-2 pt-3">
        <h2 className="text-xs font-semibold uppercase tracking-wider text-zinc-500">Nodes</h2>
        <button
          type="button"
          aria-label="Collapse sidebar"
          aria-expanded
          onClick={() => setCollapsed(true)}
          className="flex h-7 w-7 items-center justify-center rounded-md text-zinc-400 hover:bg-panel-2 hover:text-zinc-100"
        >
          «
        </button>
      </div>
      <div className="px-3 pb-3">
        <input
          type="search"
          aria-label="Search nodes"
          placeholder="Search nodes"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          className="w-full rounded-md border border-line bg-canvas px-2.5 py-1.5 text-sm text-zinc-100 outline-none placeholder:text-zinc-600 focus:border-accent"
        />
      </div>
      <ul aria-label="Node types" className="flex flex-col gap-1 overflow-y-auto px-2 pb-3">
        {matches.map((type) => {
          const definition = NODE_DEFINITIONS[type];
          return (
            <li key={type}>
              <button
                type="button"
                draggable
                title={`${definition.description} Click to add, or drag onto the canvas.`}
                onClick={() => onAdd(type)}
                onDragStart={(event) => {
                  event.dataTransfer.setData(NODE_DRAG_TYPE, type);
                  event.dataTransfer.effectAllowed = "move";
                }}
                className="group flex w-full cursor-grab items-center gap-2.5 rounded-lg border border-transparent px-2.5 py-2 text-left text-sm text-zinc-200 hover:border-line hover:bg-panel-2 active:cursor-grabbing"
              >
                <span
                  aria-hidden
                  className="h-3 w-3 shrink-0 rounded-[4px]"
                  style={{ background: CATEGORY_COLORS[definition.category] }}
                />
                {definition.label}
              </button>
            </li>
          );
        })}
        {matches.length === 0 ? <li className="px-2.5 py-2 text-sm text-zinc-500">No node matches “{query}”.</li> : null}
      </ul>
      <div className="mt-auto border-t border-line px-3 py-3">
        <h2 className="mb-2 text-xs font-semibold uppercase tracking-wider text-zinc-500">Ports</h2>
        <PortLegend />
      </div>
    </aside>
  );
}
