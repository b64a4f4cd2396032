import { Link } from "@remix-run/react";
import { useRef, type MouseEvent } from "react";
import { useEditor, useEditorActions, useEditorStoreApi } from "./editor-store-context";
import { HistoryToggle, RunButtons } from "./run-buttons";
import { SaveIndicator } from "./save-indicator";
import { WorkflowTitle } from "./workflow-title";

const buttonClass =
  "rounded-md border border-line bg-panel-2 px-3 py-1.5 text-sm text-zinc-200 hover:border-[#3a3a4c] hover:text-white disabled:cursor-not-allowed disabled:opacity-40";

/** The editor's top bar: back, name, save state, running, undo/redo, export and import, history. */
export function Toolbar({ flush, onImportFile }: { flush: () => Promise<void>; onImportFile: (file: File) => void }) {
  const store = useEditorStoreApi();
  const workflowId = useEditor((state) => state.workflowId);
  const canUndo = useEditor((state) => state.past.length > 0);
  const canRedo = useEditor((state) => state.future.length > 0);
  const { undo, redo } = useEditorActions();
  const fileInputRef = useRef<HTMLInputElement>(null);
  const exportHref = `/api/workflows/${encodeURIComponent(workflowId)}/export`;

  // The export route serves the saved workflow, so unsaved edits are saved first.
  const onExport = async (event: MouseEvent<HTMLAnchorElement>) => {
    const { revision, savedRevision } = store.getState();
    if (revision === savedRevision) return;
    event.preventDefault();
    const link = event.currentTarget;
    await flush();
    const { revision: after, savedRevision: saved } = store.getState();
    if (after === saved) link.click();
  };

  return (
    <header className="flex h-12 shrink-0 items-center gap-3 border-b border-line bg-panel px-3">
      <Link
        to="/workflows"
        className="flex items-center gap-1 rounded-md px-2 py-1 text-sm text-zinc-400 hover:bg-panel-2 hover:text-zinc-100"
      >
        <span aria-hidden>←</span> Workflows
      </Link>
      <span aria-hidden className="h-5 w-px bg-line" />
      <WorkflowTitle />
      <SaveIndicator />
      <div className="ml-auto flex items-center gap-2">
        <RunButtons />
        <span aria-hidden className="mx-1 h-5 w-px bg-line" />
        <button type="button" aria-label="Undo" title="Undo (Ctrl/⌘+Z)" disabled={!canUndo} onClick={undo} className={buttonClass}>
          ↶
        </button>
        <button
          type="button"
          aria-label="Redo"
          title="Redo (Ctrl/⌘+Shift+Z)"
          disabled={!canRedo}
          onClick={redo}
          className={buttonClass}
        >
          ↷
        </button>
        <span aria-hidden className="mx-1 h-5 w-px bg-line" />
        {/* A plain link: the export route answers with a file download. */}
        <a href={exportHref} download onClick={(event) => void onExport(event)} className={buttonClass}>
          Export
        </a>
        <button type="button" onClick={() => fileInputRef.current?.click()} className={buttonClass}>
          Import
        </button>
        <input
          ref={fileInputRef}
          type="file"
          accept=".json,application/json"
          aria-label="Import workflow file"
          className="hidden"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) onImportFile(file);
          }}
        />
        <span aria-hidden className="mx-1 h-5 w-px bg-line" />
        <HistoryToggle />
      </div>
    </header>
  );
}
