import {
  Panel,
  ReactFlow,
  useReactFlow,
  type Connection,
  type DefaultEdgeOptions,
  type Edge,
  type FinalConnectionState,
  type OnDelete,
} from "@xyflow/react";
import { useCallback, useEffect, useState, type DragEvent, type RefObject } from "react";
import { useEditor, useEditorActions, useEditorStoreApi } from "~/components/editor/editor-store-context";
import type { EditorEdge, EditorNode } from "~/lib/editor/graph-conversion";
import { isValidConnection } from "~workflow/graph-validation";
import { isNodeType } from "~workflow/nodes/registry";
import { CanvasChrome } from "./canvas-chrome";
import { edgeTypes } from "./flow-edge";
import { nodeTypes } from "./node-types";

/** The dataTransfer type the sidebar's node buttons carry when dragged. */
export const NODE_DRAG_TYPE = "application/weft-node";

/** A node dropped at the pointer hangs from its header there, as if carried by it. */
export const DROP_ANCHOR = { x: 144, y: 20 };

/** A node added by click is centred (roughly: heights vary by type) on the middle of the view. */
export const CENTRE_ANCHOR = { x: 144, y: 110 };

const DEFAULT_EDGE_OPTIONS: DefaultEdgeOptions = {
  style: { stroke: "#8b5cf6", strokeWidth: 2 },
};

const DELETE_KEYS = ["Delete", "Backspace"];
const MULTI_SELECT_KEYS = ["Meta", "Control"];
const FIT_VIEW_OPTIONS = { padding: 0.15, maxZoom: 1 };

export function FlowCanvas({
  wrapperRef,
  onFileDrop,
}: {
  wrapperRef: RefObject<HTMLDivElement>;
  /** A file dropped on the empty canvas (not on an upload node): a workflow to import. */
  onFileDrop: (file: File) => void;
}) {
  const store = useEditorStoreApi();
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const actions = useEditorActions();
  const { screenToFlowPosition } = useReactFlow<EditorNode, EditorEdge>();
  const [refusal, setRefusal] = useState<string | null>(null);
  // React Flow fits the view once the nodes it has are measured; on an empty canvas that would
  // happen on the first node added, jumping the view away from where the person is working.
  const [fitOnLoad] = useState(() => store.getState().nodes.length > 0);

  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => setRefusal(null), 4_000);
    return () => clearTimeout(timer);
  }, [refusal]);

  // Read from the store, not from render-time props, so a drag sees the graph as it is now.
  const checkConnection = useCallback(
    (connection: Connection | Edge) => isValidConnection(store.getState(), connection).ok,
    [store],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      const result = actions.connect(connection);
      if (!result.ok) setRefusal(result.reason);
    },
    [actions],
  );

  // A drop on a refused handle does nothing; saying why beats a silent no.
  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
      const { fromHandle, toHandle, isValid } = connection;
      if (!fromHandle || !toHandle || isValid) return;
      const [source, target] = fromHandle.type === "source" ? [fromHandle, toHandle] : [toHandle, fromHandle];
      const check = isValidConnection(store.getState(), {
        source: source.nodeId,
        sourceHandle: source.id,
        target: target.nodeId,
        targetHandle: target.id,
      });
      if (!check.ok) setRefusal(check.reason);
    },
    [store],
  );

  const onDelete: OnDelete<EditorNode, EditorEdge> = useCallback(
    ({ nodes: deletedNodes, edges: deletedEdges }) =>
      actions.deleteElements({
        nodeIds: deletedNodes.map((node) => node.id),
        edgeIds: deletedEdges.map((edge) => edge.id),
      }),
    [actions],
  );

  const onDragOver = (event: DragEvent) => {
    const types = event.dataTransfer.types;
    if (!types.includes(NODE_DRAG_TYPE) && !types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = types.includes("Files") ? "copy" : "move";
  };

  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(NODE_DRAG_TYPE);
    if (type && isNodeType(type)) {
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      actions.addNode(type, { x: point.x - DROP_ANCHOR.x, y: point.y - DROP_ANCHOR.y });
      return;
    }
    const file = event.dataTransfer.files[0];
    if (file) {
      event.preventDefault();
      onFileDrop(file);
    }
  };

  return (
    <div ref={wrapperRef} className="relative h-full w-full" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<EditorNode, EditorEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={actions.onNodesChange}
        onEdgesChange={actions.onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onDelete={onDelete}
        isValidConnection={checkConnection}
        colorMode="dark"
        fitView={fitOnLoad}
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.2}
        maxZoom={2}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        deleteKeyCode={DELETE_KEYS}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        connectionRadius={28}
        className="weft-flow"
      >
        <CanvasChrome />
        {refusal ? (
          <Panel position="top-center">
            <p
              role="alert"
              className="rounded-lg border border-red-500/40 bg-red-950/90 px-3 py-1.5 text-sm text-red-100 shadow-lg"
            >
              Can’t connect: {refusal}
            </p>
          </Panel>
        ) : null}
        {nodes.length === 0 ? (
          <Panel position="top-center" className="pointer-events-none">
            <p className="mt-24 text-sm text-zinc-500">Add a node from the sidebar, or drag one onto the canvas.</p>
          </Panel>
        ) : null}
      </ReactFlow>
    </div>
  );
}
