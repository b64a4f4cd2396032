import { describe, expect, it } from "vitest";
import {
  canConnect,
  defaultParams,
  getNodeDefinition,
  isNodeType,
  isSourceNode,
  NODE_DEFINITIONS,
  NODE_TYPES,
  NodeTypeSchema,
  runsAsTask,
} from "./registry";
import { DEFAULT_TEXT_MODEL, FALLBACK_CATALOG } from "../gemini-models";
import { PortTypeSchema, type PortDefinition } from "./types";
import { IMAGE_EXTENSIONS, IMAGE_MIME_TYPES } from "./upload-image";
import { VIDEO_EXTENSIONS, VIDEO_MIME_TYPES } from "./upload-video";

describe("node registry", () => {
  it("offers exactly the ten node types, in sidebar order", () => {
    expect(NODE_TYPES).toEqual([
      "text",
      "upload-image",
      "upload-video",
      "run-llm",
      "generate-image",
      "generate-video",
      "crop-image",
      "extract-frame",
      "resize-image",
      "trim-video",
      "concat-videos",
    ]);
    expect(NodeTypeSchema.safeParse("crop-image").success).toBe(true);
    expect(NodeTypeSchema.safeParse("crop").success).toBe(false);
  });

  it("keys every definition by its own type id", () => {
    for (const [key, definition] of Object.entries(NODE_DEFINITIONS)) {
      expect(definition.type).toBe(key);
    }
  });

  it("runs source nodes inside the orchestrator, and names the rest's task by their type", () => {
    for (const definition of Object.values(NODE_DEFINITIONS)) {
      if (definition.role === "source") expect(definition.placement, definition.type).toBe("orchestrator");
      expect(Number.isInteger(definition.executorVersion) && definition.executorVersion >= 1, definition.type).toBe(true);
    }
    expect(NODE_TYPES.filter((type) => runsAsTask(type))).toEqual([
      "run-llm",
      "generate-image",
      "generate-video",
      "crop-image",
      "extract-frame",
      "resize-image",
      "trim-video",
      "concat-videos",
    ]);
    expect(NODE_TYPES.filter((type) => isSourceNode({ type }))).toEqual(["text", "upload-image", "upload-video"]);
  });

  it("gives every node unique port ids", () => {
    for (const definition of Object.values(NODE_DEFINITIONS)) {
      const ids = [...definition.inputs, ...definition.outputs].map((port) => port.id);
      expect(new Set(ids).size, definition.type).toBe(ids.length);
    }
  });

  it("backs every inline input with a parameter of the same name", () => {
    for (const type of NODE_TYPES) {
      const defaults: Record<string, unknown> = defaultParams(type);
      for (const port of getNodeDefinition(type).inputs.filter((input: PortDefinition) => input.inline)) {
        expect(defaults, `${type}.${port.id}`).toHaveProperty(port.id);
      }
    }
  });

  it("returns undefined for unknown types, including inherited object keys", () => {
    expect(getNodeDefinition("run-llm")?.label).toBe("Run LLM");
    expect(getNodeDefinition("nope")).toBeUndefined();
    expect(getNodeDefinition("constructor")).toBeUndefined();
    expect(isNodeType("__proto__")).toBe(false);
  });

  it("gives a freshly dropped node its defaults", () => {
    expect(defaultParams("text")).toEqual({ text: "" });
    expect(defaultParams("upload-image")).toEqual({ assetId: null });
    expect(defaultParams("upload-video")).toEqual({ assetId: null });
    expect(defaultParams("run-llm")).toEqual({ model: "gemini-3.6-flash", system_prompt: "", user_message: "" });
    expect(defaultParams("crop-image")).toEqual({ x_percent: 0, y_percent: 0, width_percent: 100, height_percent: 100 });
    expect(defaultParams("extract-frame")).toEqual({ timestamp: 0 });
    expect(defaultParams("resize-image")).toEqual({ width: 1024, height: "", fit: "contain", format: "png" });
    expect(defaultParams("trim-video")).toEqual({ start: 0, end: "100%" });
    expect(defaultParams("concat-videos")).toEqual({});
  });

  it("describes Run LLM's ports as the product specifies", () => {
    const { inputs, outputs } = getNodeDefinition("run-llm");
    expect(inputs).toEqual([
      { id: "system_prompt", label: "System prompt", type: "text", inline: true },
      { id: "user_message", label: "User message", type: "text", required: true, inline: true },
      { id: "images", label: "Images", type: "image", multiple: true },
    ]);
    expect(outputs).toEqual([{ id: "output", label: "Output", type: "text" }]);
  });

  it("defaults Run LLM to a current text model from the shipped list, and saves any model id", () => {
    expect(DEFAULT_TEXT_MODEL).toBe("gemini-3.6-flash");
    expect(FALLBACK_CATALOG.models).toContainEqual(expect.objectContaining({ id: DEFAULT_TEXT_MODEL, kind: "text" }));
    // A retired id still saves: the editor warns about it and the run fails that node.
    expect(NODE_DEFINITIONS["run-llm"].params.safeParse({ model: "gemini-2.5-flash" }).success).toBe(true);
    expect(NODE_DEFINITIONS["run-llm"].params.safeParse({ model: "  " }).success).toBe(false);
  });

  it("limits text parameters to 50,000 characters", () => {
    expect(NODE_DEFINITIONS.text.params.safeParse({ text: "a".repeat(50_000) }).success).toBe(true);
    expect(NODE_DEFINITIONS.text.params.safeParse({ text: "a".repeat(50_001) }).success).toBe(false);
    expect(NODE_DEFINITIONS["run-llm"].params.safeParse({ user_message: "a".repeat(50_001) }).success).toBe(false);
  });

  it("lists the accepted upload formats", () => {
    expect(IMAGE_EXTENSIONS).toEqual(["jpg", "jpeg", "png", "webp", "gif"]);
    expect(IMAGE_MIME_TYPES).toEqual(["image/jpeg", "image/png", "image/webp", "image/gif"]);
    expect(VIDEO_EXTENSIONS).toEqual(["mp4", "mov", "webm", "m4v"]);
    expect(VIDEO_MIME_TYPES).toEqual(["video/mp4", "video/quicktime", "video/webm", "video/x-m4v"]);
  });
});

describe("canConnect", () => {
  it("connects ports of the same type", () => {
    for (const type of PortTypeSchema.options) expect(canConnect(type, type)).toBe(true);
  });

  it("lets text feed a number port, to be parsed at run time", () => {
    expect(canConnect("text", "number")).toBe(true);
  });

  it("refuses every other pairing", () => {
    expect(canConnect("number", "text")).toBe(false);
    expect(canConnect("image", "text")).toBe(false);
    expect(canConnect("text", "image")).toBe(false);
    expect(canConnect("video", "image")).toBe(false);
    expect(canConnect("image", "video")).toBe(false);
    expect(canConnect("text", "video")).toBe(false);
  });
});
