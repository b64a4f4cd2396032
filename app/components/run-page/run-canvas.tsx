import { ReactFlow, ReactFlowProvider, type DefaultEdgeOptions } from "@xyflow/react";
import { useMemo, useState } from "react";
import { EditorStoreProvider, useEditor, useEditorActions } from "~/components/editor/editor-store-context";
import { CanvasChrome } from "~/components/flow/canvas-chrome";
import { edgeTypes } from "~/components/flow/flow-edge";
import { nodeTypes } from "~/components/flow/node-types";
import { RunOverlayProvider, type NodeRunView } from "~/components/flow/run-overlay";
import type { EditorEdge, EditorNode } from "~/lib/editor/graph-conversion";
import { createEditorStore } from "~/lib/editor/store";
import type { Graph } from "~workflow/graph";

const FIT_VIEW_OPTIONS = { padding: 0.15, maxZoom: 1 };
/** Edges flow into the nodes running now (flow-edge.tsx); the rest stay still. */
const EDGE_OPTIONS: DefaultEdgeOptions = { style: { strokeWidth: 2 } };
/** Nodes of the graph the run did not cover (a single or selected run) stay visible but recede. */
const OUTSIDE_RUN_STYLE = { opacity: 0.4 };
/** A node's result makes it taller than in the editor; where it then overlaps a node outside the run, the result stays on top. */
const IN_RUN_Z_INDEX = 1;

/**
 * The graph as it ran, with each node showing its part of the run. Built from the editor's own
 * node components (over a store of the snapshot that nothing saves) so it looks exactly like the
 * editor, but nothing can be moved, connected, deleted or edited; panning and zooming still work.
 */
export function RunCanvas({
  graph,
  views,
  filesPath,
  onNodeClick,
}: {
  graph: Graph;
  filesPath: string;
  views: Readonly<Record<string, NodeRunView>>;
  onNodeClick: (nodeId: string) => void;
}) {
  const [store] = useState(() => createEditorStore({ workflowId: "", name: "", version: 0, graph }));
  return (
    <EditorStoreProvider store={store}>
      <RunOverlayProvider nodes={views} readOnly filesPath={filesPath}>
        <ReactFlowProvider>
          <ReadOnlyFlow views={views} onNodeClick={onNodeClick} />
        </ReactFlowProvider>
      </RunOverlayProvider>
    </EditorStoreProvider>
  );
}

function ReadOnlyFlow({
  views,
  onNodeClick,
}: {
  views: Readonly<Record<string, NodeRunView>>;
  onNodeClick: (nodeId: string) => void;
}) {
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  // Only selection and measured sizes reach the store: dragging, connecting and deleting are off.
  const { onNodesChange, onEdgesChange } = useEditorActions();
  const shown = useMemo(
    () => nodes.map((node) => (Object.hasOwn(views, node.id) ? { ...node, zIndex: IN_RUN_Z_INDEX } : { ...node, style: OUTSIDE_RUN_STYLE })),
    [nodes, views],
  );

  return (
    <ReactFlow<EditorNode, EditorEdge>
      nodes={shown}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onNodeClick={(_event, node) => onNodeClick(node.id)}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      edgesReconnectable={false}
      deleteKeyCode={null}
      selectionKeyCode={null}
      multiSelectionKeyCode={null}
      colorMode="dark"
      fitView
      fitViewOptions={FIT_VIEW_OPTIONS}
      minZoom={0.2}
      maxZoom={2}
      defaultEdgeOptions={EDGE_OPTIONS}
      className="weft-flow"
    >
      <CanvasChrome />
    </ReactFlow>
  );
}
