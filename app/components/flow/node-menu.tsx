import { useEffect, useRef, useState } from "react";
import { useEditor, useEditorActions } from "~/components/editor/editor-store-context";
import { ALWAYS_FRESH_KEY, isAlwaysFresh } from "~workflow/graph";
import { isSourceNode } from "~workflow/nodes/registry";
import { useRunController, useRuns } from "~/components/runs/runs-context";
import { isRunBusy } from "~/lib/runs/runs-store";

/** The "⋯" menu in a node's header: run or re-roll this node, keep it always fresh, duplicate or delete it. */
export function NodeMenu({ nodeId }: { nodeId: string }) {
  const { duplicate, deleteElements, updateParam } = useEditorActions();
  const alwaysFresh = useEditor((state) => {
    const node = state.nodes.find((candidate) => candidate.id === nodeId);
    return node ? isAlwaysFresh(node) : false;
  });
  // Source nodes never read the cache (ADR 016): re-rolling or keeping them fresh means nothing.
  const cacheable = useEditor((state) => {
    const node = state.nodes.find((candidate) => candidate.id === nodeId);
    return node !== undefined && !isSourceNode(node);
  });
  const runs = useRunController();
  const [open, setOpen] = useState(false);
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", close);
    return () => document.removeEventListener("pointerdown", close);
  }, [open]);

  const choose = (action: () => void) => {
    setOpen(false);
    action();
  };

  return (
    <div
      ref={containerRef}
      className="nodrag relative"
      onKeyDown={(event) => {
        if (event.key === "Escape") setOpen(false);
      }}
    >
      <button
        type="button"
        aria-label="Node menu"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        className="flex h-6 w-6 items-center justify-center rounded-md text-zinc-400 hover:bg-white/10 hover:text-zinc-100"
      >
        ⋯
      </button>
      {open ? (
        <div
          role="menu"
          className="absolute right-0 top-7 z-10 min-w-32 overflow-hidden rounded-lg border border-line bg-panel-2 py-1 text-sm shadow-2xl"
        >
          {runs ? <RunNodeItem autoFocus onRun={() => choose(() => void runs.start("single", [nodeId]))} /> : null}
          {runs && cacheable ? (
            <RunNodeItem
              label="Re-roll"
              title="Runs this node again, not from the cache, and everything after it."
              onRun={() => choose(() => void runs.reroll(nodeId))}
            />
          ) : null}
          {cacheable ? (
            <button
              type="button"
              role="menuitemcheckbox"
              aria-checked={alwaysFresh}
              title="Never take this node's outputs from the cache: it runs every time."
              onClick={() => choose(() => updateParam(nodeId, ALWAYS_FRESH_KEY, !alwaysFresh))}
              className="block w-full px-3 py-1.5 text-left text-zinc-200 hover:bg-white/10"
            >
              <span aria-hidden className="inline-block w-4">{alwaysFresh ? "✓" : ""}</span>
              Always run fresh
            </button>
          ) : null}
          <button
            type="button"
            role="menuitem"
            autoFocus={!runs}
            onClick={() => choose(() => duplicate([nodeId]))}
            className="block w-full px-3 py-1.5 text-left text-zinc-200 hover:bg-white/10"
          >
            Duplicate
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => choose(() => deleteElements({ nodeIds: [nodeId] }))}
            className="block w-full px-3 py-1.5 text-left text-red-300 hover:bg-red-500/15"
          >
            Delete
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** A menu item that starts a run ("Run node": this node alone, fed by the latest outputs of the nodes before it). */
function RunNodeItem({
  onRun,
  label = "Run node",
  title,
  autoFocus = false,
}: {
  onRun: () => void;
  label?: string;
  title?: string;
  autoFocus?: boolean;
}) {
  const busy = useRuns(isRunBusy);
  return (
    <button
      type="button"
      role="menuitem"
      autoFocus={autoFocus}
      disabled={busy}
      title={busy ? "Wait for the current run to end, or cancel it." : title}
      onClick={onRun}
      className="block w-full px-3 py-1.5 text-left text-zinc-200 hover:bg-white/10 disabled:cursor-not-allowed disabled:opacity-40"
    >
      {label}
    </button>
  );
}
