import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { CENTRE_ANCHOR, FlowCanvas } from "~/components/flow/flow-canvas";
import { ActiveRunFollower } from "~/components/runs/active-run-follower";
import { CanvasRunOverlay } from "~/components/runs/canvas-run-overlay";
import { HistoryPanel } from "~/components/runs/history-panel";
import { RunNotice } from "~/components/runs/run-notice";
import { ModelCatalogProvider } from "~/components/flow/model-catalog";
import { RunsProvider } from "~/components/runs/runs-context";
import { useRunController } from "~/components/runs/use-run-controller";
import type { EditorEdge, EditorNode } from "~/lib/editor/graph-conversion";
import { readWorkflowFile } from "~/lib/editor/import-file";
import { createEditorStore, type EditorStore } from "~/lib/editor/store";
import type { Graph } from "~workflow/graph";
import type { NodeType } from "~workflow/nodes/registry";
import type { RunsPage } from "~/lib/runs/run-schemas";
import { createRunsStore, type RunsStore } from "~/lib/runs/runs-store";
import { EditorStoreProvider, useEditor } from "./editor-store-context";
import { RunEstimatesProvider } from "./run-estimates-context";
import { ImportProblemsDialog } from "./import-dialog";
import { Sidebar } from "./sidebar";
import { Toolbar } from "./toolbar";
import { useAutosave } from "./use-autosave";
import { useEditorShortcuts } from "./use-editor-shortcuts";

export interface EditorWorkflow {
  id: string;
  name: string;
  version: number;
  graph: Graph;
}

/**
 * The workflow editor: one store per mounted editor, seeded from the loader's workflow, and one
 * for its runs, seeded with the first page of its history.
 */
export function WorkflowEditor({ workflow, runs }: { workflow: EditorWorkflow; runs: RunsPage }) {
  const [store] = useState(() =>
    createEditorStore({ workflowId: workflow.id, name: workflow.name, version: workflow.version, graph: workflow.graph }),
  );
  const [runsStore] = useState(() => createRunsStore({ workflowId: workflow.id, page: runs }));
  return (
    <EditorStoreProvider store={store}>
      <ReactFlowProvider>
        <ModelCatalogProvider>
          <RunEstimatesProvider>
            <EditorLayout store={store} runsStore={runsStore} />
          </RunEstimatesProvider>
        </ModelCatalogProvider>
      </ReactFlowProvider>
    </EditorStoreProvider>
  );
}

function EditorLayout({ store, runsStore }: { store: EditorStore; runsStore: RunsStore }) {
  const flush = useAutosave(store);
  const runController = useRunController(runsStore, store, flush);
  useEditorShortcuts(store);
  const name = useEditor((state) => state.name);
  const conflict = useEditor((state) => (state.save.kind === "conflict" ? state.save.message : null));
  const canvasRef = useRef<HTMLDivElement>(null);
  const { screenToFlowPosition, fitView } = useReactFlow<EditorNode, EditorEdge>();
  const [importProblems, setImportProblems] = useState<{ fileName: string; problems: string[] } | null>(null);

  useEffect(() => {
    document.title = `${name} · Weft`;
  }, [name]);

  const addAtCenter = useCallback(
    (type: NodeType) => {
      const bounds = canvasRef.current?.getBoundingClientRect();
      if (!bounds) return;
      const center = screenToFlowPosition({ x: bounds.left + bounds.width / 2, y: bounds.top + bounds.height / 2 });
      store.getState().actions.addNode(type, { x: center.x - CENTRE_ANCHOR.x, y: center.y - CENTRE_ANCHOR.y });
    },
    [screenToFlowPosition, store],
  );

  const importFile = useCallback(
    async (file: File) => {
      if (!file.name.toLowerCase().endsWith(".json") && file.type !== "application/json") {
        setImportProblems({
          fileName: file.name,
          problems: ["Only Weft workflow files (.json) can be imported. To use an image or video, drop it on an Upload node."],
        });
        return;
      }
      const result = readWorkflowFile(file.name, await file.text());
      if (!result.ok) {
        setImportProblems({ fileName: file.name, problems: result.problems });
        return;
      }
      store.getState().actions.replaceGraph(result.graph);
      // The imported nodes may sit anywhere; React Flow waits until they are measured.
      void fitView({ padding: 0.15, maxZoom: 1 });
    },
    [fitView, store],
  );

  return (
    <RunsProvider store={runsStore} controller={runController}>
      <div className="flex h-screen flex-col bg-canvas">
        <Toolbar flush={flush} onImportFile={(file) => void importFile(file)} />
        {conflict ? (
          <div role="alert" className="flex items-center gap-3 border-b border-amber-500/40 bg-amber-500/10 px-4 py-2 text-sm text-amber-100">
            <span>{conflict}</span>
            <button
              type="button"
              onClick={() => window.location.reload()}
              className="ml-auto rounded-md bg-amber-400 px-3 py-1 text-sm font-medium text-black hover:bg-amber-300"
            >
              Reload
            </button>
          </div>
        ) : null}
        <RunNotice />
        <div className="flex min-h-0 flex-1">
          <Sidebar onAdd={addAtCenter} />
          <main className="min-w-0 flex-1" aria-label="Canvas">
            <CanvasRunOverlay>
              <FlowCanvas wrapperRef={canvasRef} onFileDrop={(file) => void importFile(file)} />
            </CanvasRunOverlay>
          </main>
          <HistoryPanel />
        </div>
        <ActiveRunFollower />
        {importProblems ? (
          <ImportProblemsDialog
            fileName={importProblems.fileName}
            problems={importProblems.problems}
            onClose={() => setImportProblems(null)}
          />
        ) : null}
      </div>
    </RunsProvider>
  );
}
