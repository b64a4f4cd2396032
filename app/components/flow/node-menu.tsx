import { useEffect, useRef, useState } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import { useRunController, useRuns } from "~/components/runs/runs-context";
import { isRunBusy } from "~/lib/runs/runs-store";

/** The "⋯" menu in a node's header: run, duplicate or delete this node. */
export function NodeMenu({ nodeId }: { nodeId: string }) {
  const { duplicate, deleteElements } = useEditorActions();
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
          {runs ? <RunNodeItem onRun={() => choose(() => void runs.start("single", [nodeId]))} /> : null}
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

/** "Run node": this node alone, fed by the latest outputs of the nodes before it. */
function RunNodeItem({ onRun }: { onRun: () => void }) {
  const busy = useRuns(isRunBusy);
  return (
    <button
      type="button"
      role="menuitem"
      autoFocus
      disabled={busy}
      title={busy ? "Wait for the current run to end, or cancel it." : undefined}
      onClick={onRun}
      className="block w-full px-3 py-1.5 text-left text-zinc-200 hover:bg-white/10 disabled:cursor-not-allowed disabled:opacity-40"
    >
      Run node
    </button>
  );
}
