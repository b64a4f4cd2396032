import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from "@xyflow/react";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Graph } from "~workflow/graph";
import { isValidConnection } from "~workflow/graph-validation";
import { defaultParams, type NodeType } from "~workflow/nodes/registry";
import {
  edgeId,
  toEditorEdges,
  toEditorNodes,
  type EditorEdge,
  type EditorNode,
} from "./graph-conversion";
import {
  clipboardOf,
  freePosition,
  moveFeed,
  nextNodeId,
  PASTE_OFFSET,
  pastedElements,
  type Clipboard,
} from "./graph-editing";

/** One undo step: the graph as it was. Arrays are never mutated, so a snapshot is two references. */
export interface GraphSnapshot {
  nodes: EditorNode[];
  edges: EditorEdge[];
}

/** What autosave last reported; "idle" means nothing to report beyond saved or unsaved. */
export type SaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  /** The graph breaks a rule, so it was not sent; the message says which. */
  | { kind: "invalid"; message: string }
  /** The server or the network failed; autosave tries again. */
  | { kind: "error"; message: string }
  /** Someone saved a newer version elsewhere; saving stops until the page is reloaded. */
  | { kind: "conflict"; message: string };

export type ConnectResult = { ok: true } | { ok: false; reason: string };

export interface EditorActions {
  /** React Flow's node changes: selection, measured size and moves. Removal goes through deleteElements. */
  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  /** React Flow's edge changes: selection. Removal goes through deleteElements. */
  onEdgesChange(changes: EdgeChange<EditorEdge>[]): void;
  /** Adds a node with its type's default parameters near `position`; returns its id. */
  addNode(type: NodeType, position: XYPosition): string;
  connect(connection: Connection): ConnectResult;
  /** Removes nodes (with their edges) and edges as one undo step. */
  deleteElements(ids: { nodeIds?: readonly string[]; edgeIds?: readonly string[] }): void;
  /** Moves one connection of a many-edge port one place earlier (-1) or later (1); one undo step. */
  moveFeed(nodeId: string, portId: string, index: number, offset: -1 | 1): void;
  /** Sets one parameter; edits of the same field in quick succession undo together. */
  updateParam(nodeId: string, param: string, value: unknown): void;
  /** Copies the selected nodes and the edges between them; null when nothing is selected. */
  copySelection(): Clipboard | null;
  /** Pastes the editor's clipboard (or the given one), each paste further from the original. */
  paste(clipboard?: Clipboard): void;
  /** Copies the given nodes (default: the selected ones) next to themselves, leaving the clipboard alone. */
  duplicate(nodeIds?: readonly string[]): void;
  /** Replaces the whole graph (an import) as one undo step. */
  replaceGraph(graph: Graph): void;
  rename(name: string): void;
  undo(): void;
  redo(): void;
  saveStarted(): void;
  saveSucceeded(revision: number, version: number): void;
  saveFailed(status: Exclude<SaveStatus, { kind: "idle" } | { kind: "saving" }>): void;
}

export interface EditorState {
  workflowId: string;
  name: string;
  /** The saved version the next save is based on (optimistic concurrency). */
  version: number;
  nodes: EditorNode[];
  edges: EditorEdge[];
  past: GraphSnapshot[];
  future: GraphSnapshot[];
  clipboard: Clipboard | null;
  /** Counts changes to what is saved (graph and name); saved when it equals savedRevision. */
  revision: number;
  savedRevision: number;
  save: SaveStatus;
  /** Created once per store, so components can select them without re-rendering. */
  actions: EditorActions;
}

export type EditorStore = StoreApi<EditorState>;

export interface EditorStoreOptions {
  /** Milliseconds within which edits of one field (or keyboard moves) form one undo step. */
  coalesceMs?: number;
  /** Undo steps kept; older ones are dropped. */
  historyLimit?: number;
  now?: () => number;
}

export function createEditorStore(
  initial: { workflowId: string; name: string; version: number; graph: Graph },
  options: EditorStoreOptions = {},
): EditorStore {
  const coalesceMs = options.coalesceMs ?? 500;
  const historyLimit = options.historyLimit ?? 100;
  const now = options.now ?? Date.now;

  return createStore<EditorState>()((set, get) => {
    // Bookkeeping that never renders, so it lives outside the state.
    /** The graph when a drag began; becomes one undo step when the drag ends. */
    let dragOrigin: GraphSnapshot | null = null;
    /** The last undo step that later edits of the same kind may join. */
    let lastStep: { key: string; at: number } | null = null;
    /** Pastes since the last copy, so each lands further away. */
    let pasteCount = 0;

    const snapshot = (): GraphSnapshot => ({ nodes: get().nodes, edges: get().edges });

    /** Records `before` as an undo step, unless it continues the edit recorded last under `coalesceKey`. */
    const record = (before: GraphSnapshot, coalesceKey?: string) => {
      const at = now();
      if (coalesceKey && lastStep?.key === coalesceKey && at - lastStep.at <= coalesceMs) {
        lastStep = { key: coalesceKey, at };
        return;
      }
      lastStep = coalesceKey ? { key: coalesceKey, at } : null;
      set((state) => ({ past: [...state.past, before].slice(-historyLimit), future: [] }));
    };

    /** Applies a change to what is saved: bumps the revision and clears a stale save complaint. */
    const commit = (patch: Partial<Pick<EditorState, "nodes" | "edges" | "name">>) => {
      set((state) => ({
        ...patch,
        revision: state.revision + 1,
        save: state.save.kind === "invalid" || state.save.kind === "error" ? { kind: "idle" } : state.save,
      }));
    };

    const takenIds = () => get().nodes.map((node) => node.id);

    const insert = (elements: { nodes: EditorNode[]; edges: EditorEdge[] }) => {
      if (elements.nodes.length === 0) return;
      const { nodes, edges } = get();
      record(snapshot());
      commit({
        nodes: [...nodes.map((node) => (node.selected ? { ...node, selected: false } : node)), ...elements.nodes],
        edges: [...edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)), ...elements.edges],
      });
    };

    const restore = (from: "past" | "future") => {
      const stack = get()[from];
      const target = stack[stack.length - 1];
      if (!target) return;
      const current = snapshot();
      lastStep = null;
      dragOrigin = null;
      set((state) =>
        from === "past"
          ? { past: state.past.slice(0, -1), future: [...state.future, current] }
          : { future: state.future.slice(0, -1), past: [...state.past, current] },
      );
      commit({ nodes: target.nodes, edges: target.edges });
    };

    const actions: EditorActions = {
      onNodesChange(changes) {
        // Removal arrives again through onDelete with the edges it takes along: one undo step there.
        const relevant = changes.filter((change) => change.type !== "remove");
        if (relevant.length === 0) return;
        const positions = relevant.filter((change) => change.type === "position");
        const before = snapshot();
        const nodes = applyNodeChanges(relevant, get().nodes);
        if (positions.length === 0) {
          set({ nodes });
          return;
        }
        const dragging = positions.some((change) => change.dragging);
        if (dragging) {
          dragOrigin ??= before;
        } else if (dragOrigin) {
          const origin = dragOrigin;
          dragOrigin = null;
          if (positionsDiffer(origin.nodes, nodes)) record(origin);
        } else {
          // Arrow keys move selected nodes a step at a time; a burst of steps is one move.
          record(before, "move");
        }
        commit({ nodes });
      },

      onEdgesChange(changes) {
        const relevant = changes.filter((change) => change.type !== "remove");
        if (relevant.length > 0) set({ edges: applyEdgeChanges(relevant, get().edges) });
      },

      addNode(type, position) {
        const id = nextNodeId(type, takenIds());
        insert({
          nodes: [{ id, type, position: freePosition(get().nodes, position), data: defaultParams(type), selected: true }],
          edges: [],
        });
        return id;
      },

      connect(connection) {
        const { nodes, edges } = get();
        const check = isValidConnection({ nodes, edges }, connection);
        if (!check.ok) return check;
        const { source, target } = connection;
        // isValidConnection refuses connections without both ports.
        const sourceHandle = connection.sourceHandle ?? "";
        const targetHandle = connection.targetHandle ?? "";
        const edge = { source, sourceHandle, target, targetHandle };
        record(snapshot());
        commit({ edges: [...edges, { id: edgeId(edge), ...edge }] });
        return { ok: true };
      },

      deleteElements({ nodeIds = [], edgeIds = [] }) {
        const removedNodes = new Set(nodeIds);
        const removedEdges = new Set(edgeIds);
        const { nodes, edges } = get();
        const keptNodes = nodes.filter((node) => !removedNodes.has(node.id));
        const keptEdges = edges.filter(
          (edge) => !removedEdges.has(edge.id) && !removedNodes.has(edge.source) && !removedNodes.has(edge.target),
        );
        if (keptNodes.length === nodes.length && keptEdges.length === edges.length) return;
        record(snapshot());
        commit({ nodes: keptNodes, edges: keptEdges });
      },

      moveFeed(nodeId, portId, index, offset) {
        const moved = moveFeed(get().edges, nodeId, portId, index, offset);
        if (!moved) return;
        record(snapshot());
        commit({ edges: moved });
      },

      updateParam(nodeId, param, value) {
        const { nodes } = get();
        const node = nodes.find((candidate) => candidate.id === nodeId);
        if (!node || Object.is(node.data[param], value)) return;
        record(snapshot(), `param:${nodeId}:${param}`);
        commit({
          nodes: nodes.map((candidate) =>
            candidate.id === nodeId ? { ...candidate, data: { ...candidate.data, [param]: value } } : candidate,
          ),
        });
      },

      copySelection() {
        const { nodes, edges } = get();
        const selected = nodes.filter((node) => node.selected).map((node) => node.id);
        if (selected.length === 0) return null;
        const clipboard = clipboardOf(nodes, edges, selected);
        pasteCount = 0;
        set({ clipboard });
        return clipboard;
      },

      paste(clipboard) {
        const source = clipboard ?? get().clipboard;
        if (!source) return;
        pasteCount++;
        insert(pastedElements(source, takenIds(), PASTE_OFFSET * pasteCount));
      },

      duplicate(nodeIds) {
        const { nodes, edges } = get();
        const ids = nodeIds ?? nodes.filter((node) => node.selected).map((node) => node.id);
        if (ids.length === 0) return;
        insert(pastedElements(clipboardOf(nodes, edges, ids), takenIds(), PASTE_OFFSET));
      },

      replaceGraph(graph) {
        record(snapshot());
        commit({ nodes: toEditorNodes(graph), edges: toEditorEdges(graph) });
      },

      rename(name) {
        if (name !== get().name) commit({ name });
      },

      undo: () => restore("past"),
      redo: () => restore("future"),

      saveStarted() {
        set({ save: { kind: "saving" } });
      },

      saveSucceeded(revision, version) {
        set({ savedRevision: revision, version, save: { kind: "idle" } });
      },

      saveFailed(status) {
        set({ save: status });
      },
    };

    return {
      workflowId: initial.workflowId,
      name: initial.name,
      version: initial.version,
      nodes: toEditorNodes(initial.graph),
      edges: toEditorEdges(initial.graph),
      past: [],
      future: [],
      clipboard: null,
      revision: 0,
      savedRevision: 0,
      save: { kind: "idle" },
      actions,
    };
  });
}

function positionsDiffer(before: readonly EditorNode[], after: readonly EditorNode[]): boolean {
  const positions = new Map(before.map((node) => [node.id, node.position]));
  return after.some((node) => {
    const previous = positions.get(node.id);
    return !previous || previous.x !== node.position.x || previous.y !== node.position.y;
  });
}
