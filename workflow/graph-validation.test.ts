import { describe, expect, it } from "vitest";
import type { Graph, GraphEdge, GraphNode } from "./graph";
import { isValidConnection, validateGraph, wouldCreateCycle, type GraphProblem } from "./graph-validation";

function node(id: string, type: string, data: Record<string, unknown> = {}): GraphNode {
  return { id, type, position: { x: 0, y: 0 }, data };
}

function edge(source: string, sourceHandle: string, target: string, targetHandle: string, id?: string): GraphEdge {
  return { id: id ?? `${source}.${sourceHandle}->${target}.${targetHandle}`, source, sourceHandle, target, targetHandle };
}

/** A small valid workflow: a prompt and a cropped photo feeding an LLM. */
function validGraph(): Graph {
  return {
    nodes: [
      node("prompt", "text", { text: "Describe this" }),
      node("photo", "upload-image", { assetId: "asset-1" }),
      node("crop", "crop-image"),
      node("llm", "run-llm"),
    ],
    edges: [
      edge("photo", "image", "crop", "image_url"),
      edge("prompt", "text", "llm", "user_message"),
      edge("crop", "output", "llm", "images"),
    ],
  };
}

function problemsOf(input: unknown, limits?: Parameters<typeof validateGraph>[1]): GraphProblem[] {
  const result = validateGraph(input, limits);
  return result.ok ? [] : result.problems;
}

function codesOf(input: unknown): string[] {
  return problemsOf(input).map((problem) => problem.code);
}

describe("validateGraph", () => {
  it("accepts a valid workflow", () => {
    expect(validateGraph(validGraph()).ok).toBe(true);
  });

  it("accepts an empty workflow", () => {
    expect(validateGraph({ nodes: [], edges: [] })).toEqual({ ok: true, graph: { nodes: [], edges: [] } });
  });

  it("does not require inputs at save time, so half-built workflows save", () => {
    const graph = { nodes: [node("llm", "run-llm"), node("crop", "crop-image"), node("frame", "extract-frame")], edges: [] };
    expect(validateGraph(graph).ok).toBe(true);
  });

  describe("normalisation", () => {
    it("keeps a node's always-fresh flag when set, drops it when false, and refuses anything else", () => {
      const kept = validateGraph({ nodes: [node("a", "run-llm", { user_message: "Hi", alwaysFresh: true }), node("b", "run-llm", { alwaysFresh: false })], edges: [] });
      if (!kept.ok) throw new Error(JSON.stringify(kept.problems));
      expect(kept.graph.nodes[0].data.alwaysFresh).toBe(true);
      expect(kept.graph.nodes[1].data).not.toHaveProperty("alwaysFresh");

      const refused = validateGraph({ nodes: [node("a", "run-llm", { alwaysFresh: "yes" })], edges: [] });
      expect(refused).toMatchObject({ ok: false, problems: [{ code: "invalid_params", nodeId: "a", message: expect.stringContaining("alwaysFresh") }] });
    });

    it("fills in defaults and drops unknown keys from node data", () => {
      const graph = {
        nodes: [
          { ...node("llm", "run-llm", { user_message: "Hi", selected: true }), measured: { width: 200 } },
          node("crop", "crop-image", { x_percent: 5, width_percent: 50 }),
        ],
        edges: [],
      };
      const result = validateGraph(graph);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.graph.nodes).toEqual([
        {
          id: "llm",
          type: "run-llm",
          position: { x: 0, y: 0 },
          data: { model: "gemini-3.6-flash", system_prompt: "", user_message: "Hi" },
        },
        {
          id: "crop",
          type: "crop-image",
          position: { x: 0, y: 0 },
          data: { x_percent: 5, y_percent: 0, width_percent: 50, height_percent: 100 },
        },
      ]);
    });
  });

  describe("invalid_shape", () => {
    it("reports structural problems with where they are", () => {
      const problems = problemsOf({
        nodes: [{ id: "n1", type: "text", position: { x: "10", y: 0 }, data: {} }, 42],
        edges: [{ id: "e1", source: "n1", target: "n2", targetHandle: "x" }],
      });
      expect(problems).toEqual([
        { code: "invalid_shape", nodeId: "n1", message: 'Text "n1" (nodes[0]): position.x must be a number (it is text).' },
        { code: "invalid_shape", message: "nodes[1] must be an object (it is a number)." },
        { code: "invalid_shape", edgeId: "e1", message: 'Connection "e1" (edges[0]): sourceHandle is missing.' },
      ]);
    });

    it("explains a document that is not a workflow at all", () => {
      expect(problemsOf([])).toEqual([{ code: "invalid_shape", message: "The workflow must be an object (it is a list)." }]);
      expect(problemsOf({ nodes: [] })).toEqual([{ code: "invalid_shape", message: "edges is missing." }]);
    });

    it("rejects data that has no JSON form", () => {
      const cyclic: Record<string, unknown> = { nodes: [], edges: [] };
      cyclic.self = cyclic;
      expect(codesOf(cyclic)).toEqual(["invalid_shape"]);
    });
  });

  describe("too_large", () => {
    it("rejects more nodes than the limit", () => {
      const graph = { nodes: [node("a", "text"), node("b", "text"), node("c", "text")], edges: [] };
      expect(problemsOf(graph, { maxNodes: 2 })).toEqual([
        { code: "too_large", message: "The workflow has 3 nodes, over the limit of 2. Remove some nodes." },
      ]);
      expect(validateGraph(graph, { maxNodes: 3 }).ok).toBe(true);
    });

    it("rejects a document over the byte limit", () => {
      const graph = { nodes: [node("a", "text", { text: "x".repeat(2_000) })], edges: [] };
      expect(problemsOf(graph, { maxBytes: 1_000 })).toEqual([
        { code: "too_large", message: "The workflow is 2.1 kB, over the 1 kB limit. Remove nodes or shorten long texts." },
      ]);
      expect(validateGraph(graph, { maxBytes: 3_000 }).ok).toBe(true);
    });

    it("applies a 500 node limit by default", () => {
      const nodes = Array.from({ length: 501 }, (_, index) => node(`n${index}`, "text"));
      expect(codesOf({ nodes, edges: [] })).toEqual(["too_large"]);
      expect(validateGraph({ nodes: nodes.slice(0, 500), edges: [] }).ok).toBe(true);
    });

    it("applies a 1 MB size limit by default", () => {
      const huge = { nodes: [node("a", "text", { text: "x".repeat(1_000_001) })], edges: [] };
      expect(codesOf(huge)).toEqual(["too_large"]);
    });
  });

  describe("unknown_node_type", () => {
    it("names the node and the known types", () => {
      expect(problemsOf({ nodes: [node("n1", "blur-image")], edges: [] })).toEqual([
        {
          code: "unknown_node_type",
          nodeId: "n1",
          message:
            'Node "n1" has the unknown type "blur-image"; known types are text, upload-image, upload-video, run-llm, generate-image, generate-video, crop-image, extract-frame, resize-image, trim-video, concat-videos.',
        },
      ]);
    });
  });

  describe("duplicate ids", () => {
    it("reports nodes sharing an id", () => {
      const graph = { nodes: [node("a", "text"), node("a", "text"), node("b", "text")], edges: [] };
      expect(problemsOf(graph)).toEqual([
        { code: "duplicate_node_id", nodeId: "a", message: '2 nodes share the id "a"; every node needs its own id.' },
      ]);
    });

    it("reports connections sharing an id", () => {
      const graph = validGraph();
      graph.edges[1].id = graph.edges[0].id;
      expect(problemsOf(graph)).toEqual([
        {
          code: "duplicate_edge_id",
          edgeId: graph.edges[0].id,
          message: `2 connections share the id "${graph.edges[0].id}"; every connection needs its own id.`,
        },
      ]);
    });
  });

  describe("dangling_edge", () => {
    it("reports connections to nodes that do not exist", () => {
      const graph = { nodes: [node("a", "text")], edges: [edge("a", "text", "gone", "user_message", "e1")] };
      expect(problemsOf(graph)).toEqual([
        {
          code: "dangling_edge",
          edgeId: "e1",
          message: 'Connection "e1" ends at node "gone", which does not exist; remove the connection.',
        },
      ]);
    });

    it("reports a port the node does not have", () => {
      const graph = { nodes: [node("a", "text"), node("llm", "run-llm")], edges: [edge("a", "text", "llm", "prompt", "e1")] };
      expect(problemsOf(graph)).toEqual([
        {
          code: "dangling_edge",
          edgeId: "e1",
          nodeId: "llm",
          message:
            'Connection "e1" ends at "prompt", which Run LLM "llm" does not have (its inputs are system_prompt, user_message, images).',
        },
      ]);
    });

    it("reports a connection drawn the wrong way round", () => {
      const graph = {
        nodes: [node("a", "text"), node("llm", "run-llm")],
        edges: [edge("llm", "user_message", "a", "text", "e1")],
      };
      expect(problemsOf(graph)).toEqual([
        {
          code: "dangling_edge",
          edgeId: "e1",
          nodeId: "llm",
          message: 'Connection "e1" starts at user_message, which is an input of Run LLM "llm", not one of its outputs (its outputs are output).',
        },
        {
          code: "dangling_edge",
          edgeId: "e1",
          nodeId: "a",
          message: 'Connection "e1" ends at text, which is an output of Text "a", not one of its inputs (it has no inputs).',
        },
      ]);
    });
  });

  describe("incompatible_ports", () => {
    it("refuses an image feeding a text input", () => {
      const graph = {
        nodes: [node("photo", "upload-image"), node("llm", "run-llm")],
        edges: [edge("photo", "image", "llm", "user_message", "e1")],
      };
      expect(problemsOf(graph)).toEqual([
        {
          code: "incompatible_ports",
          edgeId: "e1",
          nodeId: "llm",
          message: 'Connection "e1" from Upload Image "photo" image to Run LLM "llm" user_message: an image cannot feed a text input.',
        },
      ]);
    });

    it("allows text to feed a number input", () => {
      const graph = {
        nodes: [node("t", "text", { text: "25" }), node("crop", "crop-image")],
        edges: [edge("t", "text", "crop", "x_percent")],
      };
      expect(validateGraph(graph).ok).toBe(true);
    });
  });

  describe("too_many_edges", () => {
    it("refuses two connections into a single-value input", () => {
      const graph = {
        nodes: [node("a", "text"), node("b", "text"), node("llm", "run-llm")],
        edges: [edge("a", "text", "llm", "user_message", "e1"), edge("b", "text", "llm", "user_message", "e2")],
      };
      expect(problemsOf(graph)).toEqual([
        {
          code: "too_many_edges",
          nodeId: "llm",
          message: 'Run LLM "llm": input user_message takes one connection but has 2 ("e1", "e2"); remove all but one.',
        },
      ]);
    });

    it("allows many connections into a multiple input", () => {
      const graph = {
        nodes: [node("a", "upload-image"), node("b", "upload-image"), node("llm", "run-llm")],
        edges: [edge("a", "image", "llm", "images"), edge("b", "image", "llm", "images")],
      };
      expect(validateGraph(graph).ok).toBe(true);
    });
  });

  describe("cycle", () => {
    it("names the nodes on the loop", () => {
      const graph = {
        nodes: [node("first", "run-llm"), node("second", "run-llm"), node("third", "run-llm"), node("outside", "text")],
        edges: [
          edge("outside", "text", "first", "system_prompt"),
          edge("first", "output", "second", "user_message"),
          edge("second", "output", "third", "user_message"),
          edge("third", "output", "first", "user_message"),
        ],
      };
      expect(problemsOf(graph)).toEqual([
        {
          code: "cycle",
          nodeId: "first",
          message:
            'These nodes feed each other in a loop: Run LLM "first" → Run LLM "second" → Run LLM "third" → Run LLM "first". A workflow must flow one way; remove one of these connections.',
        },
      ]);
    });

    it("reports a node feeding itself", () => {
      const graph = { nodes: [node("llm", "run-llm")], edges: [edge("llm", "output", "llm", "user_message")] };
      expect(problemsOf(graph).map((problem) => problem.message)).toEqual([
        'These nodes feed each other in a loop: Run LLM "llm" → Run LLM "llm". A workflow must flow one way; remove one of these connections.',
      ]);
    });

    it("reports separate loops separately", () => {
      const graph = {
        nodes: ["a", "b", "c", "d"].map((id) => node(id, "run-llm")),
        edges: [
          edge("a", "output", "b", "user_message"),
          edge("b", "output", "a", "user_message"),
          edge("c", "output", "d", "user_message"),
          edge("d", "output", "c", "user_message"),
        ],
      };
      expect(problemsOf(graph).map((problem) => [problem.code, problem.nodeId])).toEqual([
        ["cycle", "a"],
        ["cycle", "c"],
      ]);
    });

    it("accepts diamonds, which converge without looping", () => {
      const graph = {
        nodes: [node("photo", "upload-image"), node("left", "crop-image"), node("right", "crop-image"), node("llm", "run-llm")],
        edges: [
          edge("photo", "image", "left", "image_url"),
          edge("photo", "image", "right", "image_url"),
          edge("left", "output", "llm", "images"),
          edge("right", "output", "llm", "images"),
        ],
      };
      expect(validateGraph(graph).ok).toBe(true);
    });
  });

  describe("invalid_params", () => {
    it("names the node and the parameter out of range", () => {
      expect(problemsOf({ nodes: [node("n3", "crop-image", { width_percent: 120 })], edges: [] })).toEqual([
        { code: "invalid_params", nodeId: "n3", message: 'Crop Image "n3": width_percent must be at most 100.' },
      ]);
    });

    it("reports the crop refinement", () => {
      expect(problemsOf({ nodes: [node("n3", "crop-image", { y_percent: 40, height_percent: 70 })], edges: [] })).toEqual([
        {
          code: "invalid_params",
          nodeId: "n3",
          message: 'Crop Image "n3": height_percent must be at most 60 when y_percent is 40, so the crop stays inside the image.',
        },
      ]);
    });

    it("reports wrong types and bad timestamps", () => {
      const graph = {
        nodes: [
          node("llm", "run-llm", { model: 42, user_message: 7 }),
          node("frame", "extract-frame", { timestamp: "150%" }),
          node("photo", "upload-image", { assetId: "" }),
        ],
        edges: [],
      };
      expect(problemsOf(graph).map((problem) => problem.message)).toEqual([
        'Run LLM "llm": model must be text (it is a number).',
        'Run LLM "llm": user_message must be text (it is a number).',
        'Extract Frame "frame": timestamp must be a number of seconds (0 or more) or a percentage of the video from "0%" to "100%".',
        'Upload Image "photo": assetId must not be empty.',
      ]);
    });
  });

  it("reports every problem at once", () => {
    const graph = {
      nodes: [
        node("crop", "crop-image", { x_percent: -5 }),
        node("mystery", "blur"),
        node("photo", "upload-image"),
        node("llm", "run-llm"),
      ],
      edges: [
        edge("photo", "image", "llm", "system_prompt", "wrong-type"),
        edge("photo", "image", "nowhere", "image_url", "dangling"),
        edge("llm", "output", "llm", "user_message", "self"),
      ],
    };
    const problems = problemsOf(graph);
    expect(problems.map((problem) => problem.code).sort()).toEqual(
      ["cycle", "dangling_edge", "incompatible_ports", "invalid_params", "unknown_node_type"].sort(),
    );
    expect(problems.find((problem) => problem.code === "dangling_edge")?.edgeId).toBe("dangling");
    expect(problems.find((problem) => problem.code === "invalid_params")?.nodeId).toBe("crop");
  });
});

describe("wouldCreateCycle", () => {
  const chain = {
    nodes: [node("a", "run-llm"), node("b", "run-llm"), node("c", "run-llm")],
    edges: [edge("a", "output", "b", "user_message"), edge("b", "output", "c", "user_message")],
  };

  it("detects a connection that closes a loop", () => {
    expect(wouldCreateCycle(chain, { source: "c", target: "a" })).toBe(true);
    expect(wouldCreateCycle(chain, { source: "b", target: "a" })).toBe(true);
  });

  it("treats a self-connection as a loop", () => {
    expect(wouldCreateCycle(chain, { source: "b", target: "b" })).toBe(true);
  });

  it("allows connections that keep the flow one way", () => {
    expect(wouldCreateCycle(chain, { source: "a", target: "c" })).toBe(false);
    expect(wouldCreateCycle({ nodes: [], edges: [] }, { source: "x", target: "y" })).toBe(false);
  });
});

describe("isValidConnection", () => {
  const graph = {
    nodes: [
      node("prompt", "text"),
      node("photo", "upload-image"),
      node("clip", "upload-video"),
      node("crop", "crop-image"),
      node("llm", "run-llm"),
    ],
    edges: [edge("photo", "image", "crop", "image_url"), edge("crop", "output", "llm", "images")],
  };

  it("accepts a compatible connection into a free input", () => {
    expect(isValidConnection(graph, { source: "prompt", sourceHandle: "text", target: "llm", targetHandle: "user_message" })).toEqual({
      ok: true,
    });
    expect(isValidConnection(graph, { source: "photo", sourceHandle: "image", target: "llm", targetHandle: "images" })).toEqual({
      ok: true,
    });
    expect(isValidConnection(graph, { source: "prompt", sourceHandle: "text", target: "crop", targetHandle: "width_percent" })).toEqual({
      ok: true,
    });
  });

  it("refuses incompatible types with the reason", () => {
    expect(isValidConnection(graph, { source: "photo", sourceHandle: "image", target: "llm", targetHandle: "user_message" })).toEqual({
      ok: false,
      reason: "An image cannot feed a text input.",
    });
    expect(isValidConnection(graph, { source: "clip", sourceHandle: "video", target: "crop", targetHandle: "image_url" })).toEqual({
      ok: false,
      reason: "A video cannot feed an image input.",
    });
  });

  it("refuses a second connection into a single-value input", () => {
    const result = isValidConnection(
      { ...graph, nodes: [...graph.nodes, node("photo2", "upload-image")] },
      { source: "photo2", sourceHandle: "image", target: "crop", targetHandle: "image_url" },
    );
    expect(result).toEqual({ ok: false, reason: "Image already has a connection; remove it first." });
  });

  it("refuses connecting the same ports twice", () => {
    expect(isValidConnection(graph, { source: "crop", sourceHandle: "output", target: "llm", targetHandle: "images" })).toEqual({
      ok: false,
      reason: "These ports are already connected.",
    });
  });

  it("refuses ports the nodes do not have, in either direction", () => {
    expect(isValidConnection(graph, { source: "llm", sourceHandle: "images", target: "crop", targetHandle: "image_url" }).ok).toBe(false);
    expect(isValidConnection(graph, { source: "prompt", sourceHandle: "text", target: "llm", targetHandle: "output" }).ok).toBe(false);
    expect(isValidConnection(graph, { source: "prompt", sourceHandle: null, target: "llm", targetHandle: "user_message" }).ok).toBe(false);
  });

  it("refuses self-loops and loops", () => {
    expect(isValidConnection(graph, { source: "llm", sourceHandle: "output", target: "llm", targetHandle: "user_message" })).toEqual({
      ok: false,
      reason: "A node cannot feed itself.",
    });
    const looped = {
      nodes: [...graph.nodes, node("crop2", "crop-image")],
      edges: [...graph.edges, edge("crop", "output", "crop2", "image_url")],
    };
    expect(isValidConnection(looped, { source: "crop2", sourceHandle: "output", target: "crop", targetHandle: "image_url" })).toEqual({
      ok: false,
      reason: "Image already has a connection; remove it first.",
    });
    const open = { ...looped, edges: looped.edges.filter((candidate) => candidate.target !== "crop") };
    expect(isValidConnection(open, { source: "crop2", sourceHandle: "output", target: "crop", targetHandle: "image_url" })).toEqual({
      ok: false,
      reason: "This connection would make a loop; a workflow must flow one way.",
    });
  });

  it("refuses nodes that are missing", () => {
    expect(isValidConnection(graph, { source: "ghost", sourceHandle: "text", target: "llm", targetHandle: "user_message" })).toEqual({
      ok: false,
      reason: "That node no longer exists.",
    });
  });
});

describe("hostile graphs", () => {
  it("refuses node ids that name a property of every object, and ids outside the safe pattern", () => {
    for (const id of ["__proto__", "constructor", "toString", "hasOwnProperty", "a b", "<script>", "-x", "x".repeat(101)]) {
      const graph = { nodes: [node(id, "text", { text: "hi" })], edges: [] };
      const problems = problemsOf(graph);
      expect(problems.map((problem) => problem.code), id).toContain("invalid_shape");
    }
    expect(validateGraph({ nodes: [node("text-1", "text", { text: "hi" }), node("a.b:c_d", "text")], edges: [] }).ok).toBe(true);
  });

  it("lists at most 100 problems and says how many more there are", () => {
    const nodes = [node("prompt", "text", { text: "x" })];
    const edges = Array.from({ length: 8000 }, (_, index) => edge("prompt", "text", `m${index}`, "user_message", `e${index}`));
    const problems = problemsOf({ nodes, edges });
    expect(problems).toHaveLength(101);
    expect(problems[100]).toEqual({ code: "too_many_problems", message: "…and 7900 more problems; fix these first." });
    expect(JSON.stringify(problems).length).toBeLessThan(50_000);
  });
});
