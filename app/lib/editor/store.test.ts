import type { NodeChange } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import type { Graph } from "~workflow/graph";
import { toGraph, type EditorNode } from "./graph-conversion";
import { createEditorStore } from "./store";

const EMPTY: Graph = { nodes: [], edges: [] };

function setup(graph: Graph = EMPTY) {
  let clock = 1_000;
  const store = createEditorStore(
    { workflowId: "wf-1", name: "Test", version: 1, graph },
    { now: () => clock, coalesceMs: 500 },
  );
  return {
    store,
    actions: store.getState().actions,
    tick: (ms: number) => {
      clock += ms;
    },
    graph: () => toGraph(store.getState().nodes, store.getState().edges),
    ids: () => store.getState().nodes.map((node) => node.id),
    edgeIds: () => store.getState().edges.map((edge) => edge.id),
  };
}

function move(id: string, x: number, y: number, dragging: boolean): NodeChange<EditorNode> {
  return { type: "position", id, position: { x, y }, dragging };
}

describe("editor store: adding nodes", () => {
  it("adds a node with its type's defaults and a readable id, selected alone", () => {
    const { actions, store, ids } = setup();
    const first = actions.addNode("crop-image", { x: 10, y: 20 });
    const second = actions.addNode("crop-image", { x: 400, y: 20 });
    expect([first, second]).toEqual(["crop-image-1", "crop-image-2"]);
    expect(ids()).toEqual(["crop-image-1", "crop-image-2"]);
    const [a, b] = store.getState().nodes;
    expect(a).toMatchObject({ type: "crop-image", position: { x: 10, y: 20 }, selected: false });
    expect(a.data).toEqual({ x_percent: 0, y_percent: 0, width_percent: 100, height_percent: 100 });
    expect(b.selected).toBe(true);
  });

  it("moves a node added on top of another so they do not stack exactly", () => {
    const { actions, store } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    actions.addNode("text", { x: 0, y: 0 });
    actions.addNode("text", { x: 0, y: 0 });
    expect(store.getState().nodes.map((node) => node.position)).toEqual([
      { x: 0, y: 0 },
      { x: 32, y: 32 },
      { x: 64, y: 64 },
    ]);
  });

  it("never reuses the id of a node that still exists", () => {
    const { actions } = setup(sampleWorkflowGraph());
    expect(actions.addNode("run-llm", { x: 0, y: 0 })).toBe("run-llm-1");
    expect(actions.addNode("run-llm", { x: 0, y: 0 })).toBe("run-llm-2");
  });
});

describe("editor store: connections", () => {
  function twoTextsAndAnLlm() {
    const context = setup();
    context.actions.addNode("text", { x: 0, y: 0 });
    context.actions.addNode("text", { x: 0, y: 200 });
    context.actions.addNode("run-llm", { x: 400, y: 0 });
    context.actions.addNode("upload-image", { x: 0, y: 400 });
    return context;
  }

  it("connects compatible ports with an id naming both ports", () => {
    const { actions, edgeIds } = twoTextsAndAnLlm();
    expect(
      actions.connect({ source: "text-1", sourceHandle: "text", target: "run-llm-1", targetHandle: "user_message" }),
    ).toEqual({ ok: true });
    expect(edgeIds()).toEqual(["text-1.text->run-llm-1.user_message"]);
  });

  it("refuses an image feeding a prompt, and says why", () => {
    const { actions, edgeIds, store } = twoTextsAndAnLlm();
    const pastBefore = store.getState().past.length;
    const result = actions.connect({
      source: "upload-image-1",
      sourceHandle: "image",
      target: "run-llm-1",
      targetHandle: "user_message",
    });
    expect(result).toEqual({ ok: false, reason: "An image cannot feed a text input." });
    expect(edgeIds()).toEqual([]);
    expect(store.getState().past.length).toBe(pastBefore);
  });

  it("refuses a second edge into a single-value input but takes many into images", () => {
    const { actions, edgeIds } = twoTextsAndAnLlm();
    actions.connect({ source: "text-1", sourceHandle: "text", target: "run-llm-1", targetHandle: "user_message" });
    const second = actions.connect({
      source: "text-2",
      sourceHandle: "text",
      target: "run-llm-1",
      targetHandle: "user_message",
    });
    expect(second.ok).toBe(false);

    actions.addNode("upload-image", { x: 0, y: 600 });
    for (const source of ["upload-image-1", "upload-image-2"]) {
      expect(actions.connect({ source, sourceHandle: "image", target: "run-llm-1", targetHandle: "images" })).toEqual({
        ok: true,
      });
    }
    expect(edgeIds()).toHaveLength(3);
  });

  it("refuses a connection that would close a loop", () => {
    const { actions, edgeIds } = setup();
    actions.addNode("run-llm", { x: 0, y: 0 });
    actions.addNode("run-llm", { x: 400, y: 0 });
    actions.connect({ source: "run-llm-1", sourceHandle: "output", target: "run-llm-2", targetHandle: "user_message" });
    const loop = actions.connect({
      source: "run-llm-2",
      sourceHandle: "output",
      target: "run-llm-1",
      targetHandle: "system_prompt",
    });
    expect(loop).toEqual({ ok: false, reason: "This connection would make a loop; a workflow must flow one way." });
    expect(edgeIds()).toHaveLength(1);
  });
});

describe("editor store: deleting", () => {
  it("removes a node with its edges as one undo step", () => {
    const { actions, store, ids, edgeIds } = setup(sampleWorkflowGraph());
    actions.deleteElements({ nodeIds: ["crop-product"] });
    expect(ids()).not.toContain("crop-product");
    expect(edgeIds().some((id) => id.includes("crop-product"))).toBe(false);
    expect(store.getState().edges).toHaveLength(6);
    actions.undo();
    expect(ids()).toContain("crop-product");
    expect(store.getState().edges).toHaveLength(9);
  });

  it("leaves removal to onDelete: React Flow's remove changes alone change nothing", () => {
    const { actions, ids } = setup(sampleWorkflowGraph());
    actions.onNodesChange([{ type: "remove", id: "crop-product" }]);
    actions.onEdgesChange([{ type: "remove", id: "product-photo.image->crop-product.image_url" }]);
    expect(ids()).toContain("crop-product");
  });

  it("disconnects an edge", () => {
    const { actions, edgeIds } = setup(sampleWorkflowGraph());
    actions.deleteElements({ edgeIds: ["crop-product.output->social-media-post.images"] });
    expect(edgeIds()).not.toContain("crop-product.output->social-media-post.images");
    expect(edgeIds()).toHaveLength(8);
  });
});

describe("editor store: undo and redo", () => {
  it("undoes and redoes adds and connections in order", () => {
    const { actions, graph } = setup();
    const states = [graph()];
    actions.addNode("text", { x: 0, y: 0 });
    states.push(graph());
    actions.addNode("run-llm", { x: 400, y: 0 });
    states.push(graph());
    actions.connect({ source: "text-1", sourceHandle: "text", target: "run-llm-1", targetHandle: "user_message" });
    states.push(graph());

    actions.undo();
    expect(graph()).toEqual(states[2]);
    actions.undo();
    actions.undo();
    expect(graph()).toEqual(states[0]);
    actions.undo(); // nothing left: no change
    expect(graph()).toEqual(states[0]);
    actions.redo();
    actions.redo();
    actions.redo();
    expect(graph()).toEqual(states[3]);
  });

  it("forgets the redo steps once a new change is made", () => {
    const { actions, store } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    actions.undo();
    expect(store.getState().future).toHaveLength(1);
    actions.addNode("crop-image", { x: 0, y: 0 });
    expect(store.getState().future).toHaveLength(0);
  });

  it("records a drag as one step when it ends, not one per pixel", () => {
    const { actions, store, graph } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    const before = graph();
    const steps = store.getState().past.length;
    actions.onNodesChange([move("text-1", 5, 5, true)]);
    actions.onNodesChange([move("text-1", 50, 60, true)]);
    actions.onNodesChange([move("text-1", 100, 120, true)]);
    expect(store.getState().past).toHaveLength(steps);
    actions.onNodesChange([move("text-1", 100, 120, false)]);
    expect(store.getState().past).toHaveLength(steps + 1);
    expect(store.getState().nodes[0].position).toEqual({ x: 100, y: 120 });
    actions.undo();
    expect(graph()).toEqual(before);
  });

  it("does not record a click that moved nothing", () => {
    const { actions, store } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    const steps = store.getState().past.length;
    actions.onNodesChange([move("text-1", 0, 0, true)]);
    actions.onNodesChange([move("text-1", 0, 0, false)]);
    expect(store.getState().past).toHaveLength(steps);
  });

  it("keeps selection and measured size out of the history and out of what is saved", () => {
    const { actions, store } = setup(sampleWorkflowGraph());
    actions.onNodesChange([
      { type: "select", id: "crop-product", selected: true },
      { type: "dimensions", id: "crop-product", dimensions: { width: 288, height: 300 } },
    ]);
    expect(store.getState().past).toHaveLength(0);
    expect(store.getState().revision).toBe(0);
    expect(store.getState().nodes.find((node) => node.id === "crop-product")?.selected).toBe(true);
  });

  it("coalesces typing in one field into one step, and starts a new one after a pause", () => {
    const { actions, store, tick } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    const steps = store.getState().past.length;
    for (const text of ["H", "He", "Hel", "Hell", "Hello"]) {
      actions.updateParam("text-1", "text", text);
      tick(100);
    }
    expect(store.getState().past).toHaveLength(steps + 1);
    tick(600);
    actions.updateParam("text-1", "text", "Hello!");
    expect(store.getState().past).toHaveLength(steps + 2);

    actions.undo();
    expect(store.getState().nodes[0].data.text).toBe("Hello");
    actions.undo();
    expect(store.getState().nodes[0].data.text).toBe("");
    actions.redo();
    actions.redo();
    expect(store.getState().nodes[0].data.text).toBe("Hello!");
  });

  it("starts a new step when another field is edited", () => {
    const { actions, store } = setup();
    actions.addNode("crop-image", { x: 0, y: 0 });
    const steps = store.getState().past.length;
    actions.updateParam("crop-image-1", "x_percent", 10);
    actions.updateParam("crop-image-1", "y_percent", 10);
    actions.updateParam("crop-image-1", "x_percent", 20);
    expect(store.getState().past).toHaveLength(steps + 3);
  });

  it("keeps a value the schema refuses, so typing is not fought", () => {
    const { actions, store } = setup();
    actions.addNode("crop-image", { x: 0, y: 0 });
    actions.updateParam("crop-image-1", "width_percent", 150);
    actions.updateParam("crop-image-1", "x_percent", "");
    expect(store.getState().nodes[0].data).toMatchObject({ width_percent: 150, x_percent: "" });
  });

  it("replaces the graph on import as one undoable step", () => {
    const { actions, graph } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    const before = graph();
    actions.replaceGraph(sampleWorkflowGraph());
    expect(graph()).toEqual(sampleWorkflowGraph());
    actions.undo();
    expect(graph()).toEqual(before);
  });
});

describe("editor store: the order of a many-edge port's connections", () => {
  it("moves a clip of Concat Videos earlier, saves that order, and undoes it in one step", () => {
    const { actions, graph } = setup();
    for (const x of [0, 1, 2]) actions.addNode("upload-video", { x: x * 300, y: 0 });
    actions.addNode("text", { x: 0, y: 300 });
    actions.addNode("concat-videos", { x: 900, y: 300 });
    for (const source of ["upload-video-1", "upload-video-2", "upload-video-3"]) {
      expect(actions.connect({ source, sourceHandle: "video", target: "concat-videos-1", targetHandle: "videos" })).toEqual({ ok: true });
    }
    const feeds = () =>
      graph()
        .edges.filter((edge) => edge.target === "concat-videos-1")
        .map((edge) => edge.source);
    const before = graph();

    actions.moveFeed("concat-videos-1", "videos", 2, -1);
    expect(feeds()).toEqual(["upload-video-1", "upload-video-3", "upload-video-2"]);
    actions.moveFeed("concat-videos-1", "videos", 0, 1);
    expect(feeds()).toEqual(["upload-video-3", "upload-video-1", "upload-video-2"]);
    // Past either end nothing moves.
    actions.moveFeed("concat-videos-1", "videos", 0, -1);
    actions.moveFeed("concat-videos-1", "videos", 2, 1);
    expect(feeds()).toEqual(["upload-video-3", "upload-video-1", "upload-video-2"]);

    actions.undo();
    actions.undo();
    expect(graph()).toEqual(before);
  });
});

describe("editor store: copy, paste and duplicate", () => {
  it("pastes the selected nodes and the edges between them with new ids, 40px away", () => {
    const { actions, store, ids } = setup(sampleWorkflowGraph());
    for (const id of ["product-photo", "crop-product", "product-description"]) {
      actions.onNodesChange([{ type: "select", id, selected: true }]);
    }
    const clipboard = actions.copySelection();
    expect(clipboard?.nodes.map((node) => node.id)).toEqual(["product-photo", "crop-product", "product-description"]);
    // Only edges between copied nodes: photo → crop and crop → description.
    expect(clipboard?.edges.map((edge) => edge.id)).toEqual([
      "product-photo.image->crop-product.image_url",
      "crop-product.output->product-description.images",
    ]);

    actions.paste();
    const state = store.getState();
    expect(ids().slice(-3)).toEqual(["upload-image-1", "crop-image-1", "run-llm-1"]);
    expect(state.edges.slice(-2).map((edge) => edge.id)).toEqual([
      "upload-image-1.image->crop-image-1.image_url",
      "crop-image-1.output->run-llm-1.images",
    ]);
    const original = state.nodes.find((node) => node.id === "crop-product");
    const copy = state.nodes.find((node) => node.id === "crop-image-1");
    expect(copy?.position).toEqual({ x: (original?.position.x ?? 0) + 40, y: (original?.position.y ?? 0) + 40 });
    expect(copy?.data).toEqual(original?.data);
    expect(state.nodes.filter((node) => node.selected).map((node) => node.id)).toEqual([
      "upload-image-1",
      "crop-image-1",
      "run-llm-1",
    ]);

    actions.paste();
    expect(ids().slice(-3)).toEqual(["upload-image-2", "crop-image-2", "run-llm-2"]);
    const second = store.getState().nodes.find((node) => node.id === "crop-image-2");
    expect(second?.position.x).toBe((original?.position.x ?? 0) + 80);

    actions.undo();
    expect(ids()).not.toContain("crop-image-2");
    expect(ids()).toContain("crop-image-1");
  });

  it("copies nothing when nothing is selected", () => {
    const { actions, store } = setup(sampleWorkflowGraph());
    expect(actions.copySelection()).toBeNull();
    actions.paste();
    expect(store.getState().nodes).toHaveLength(9);
  });

  it("pastes a copy of the data, so editing the copy leaves the original alone", () => {
    const { actions, store } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    actions.updateParam("text-1", "text", "original");
    actions.copySelection();
    actions.paste();
    actions.updateParam("text-2", "text", "changed");
    expect(store.getState().nodes.map((node) => node.data.text)).toEqual(["original", "changed"]);
  });

  it("duplicates a node from its menu without touching the clipboard", () => {
    const { actions, store, ids } = setup(sampleWorkflowGraph());
    actions.duplicate(["video-frame"]);
    expect(ids().at(-1)).toBe("extract-frame-1");
    expect(store.getState().nodes.at(-1)?.data).toEqual({ timestamp: "50%" });
    expect(store.getState().clipboard).toBeNull();
  });
});

describe("editor store: saving bookkeeping", () => {
  it("counts changes to the graph and name, not selection", () => {
    const { actions, store } = setup();
    actions.addNode("text", { x: 0, y: 0 });
    actions.rename("Renamed");
    expect(store.getState()).toMatchObject({ revision: 2, savedRevision: 0, name: "Renamed" });
    actions.rename("Renamed");
    expect(store.getState().revision).toBe(2);
    actions.saveSucceeded(2, 5);
    expect(store.getState()).toMatchObject({ savedRevision: 2, version: 5, save: { kind: "idle" } });
  });

  it("clears a stale complaint when the graph changes, but never a conflict", () => {
    const { actions, store } = setup();
    actions.saveFailed({ kind: "invalid", message: "bad" });
    actions.addNode("text", { x: 0, y: 0 });
    expect(store.getState().save).toEqual({ kind: "idle" });
    actions.saveFailed({ kind: "conflict", message: "changed elsewhere" });
    actions.addNode("text", { x: 0, y: 0 });
    expect(store.getState().save.kind).toBe("conflict");
  });
});
