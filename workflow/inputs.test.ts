import { describe, expect, it } from "vitest";
import {
  checkRequiredInputs,
  coerceNumberInputs,
  mergeParams,
  prepareNodeInputs,
  resolveInputs,
} from "./inputs";
import { edge, graphOf, llm, media, node } from "./test-support";
import { NodeError } from "./execution";

describe("resolveInputs", () => {
  const graph = graphOf(
    [
      node("prompt", "text", { text: "Be brief" }),
      node("one", "crop-image"),
      node("two", "crop-image"),
      node("ask", "run-llm", { system_prompt: "typed system prompt", user_message: "typed message" }),
    ],
    [
      edge("two", "output", "ask", "images"),
      edge("prompt", "text", "ask", "user_message"),
      edge("one", "output", "ask", "images"),
    ],
  );
  const outputs = {
    prompt: { text: "Be brief" },
    one: { output: media("one") },
    two: { output: media("two") },
  };

  it("takes connected values from upstream, in connection order for many-edge ports, and typed values otherwise", () => {
    expect(resolveInputs(graph.nodes[3], graph, outputs)).toEqual({
      system_prompt: "typed system prompt",
      user_message: "Be brief",
      images: [media("two"), media("one")],
    });
  });

  it("fills typed values the document lacks with the node's defaults", () => {
    const crop = node("crop", "crop-image", { x_percent: 10 });
    expect(resolveInputs(crop, graphOf([crop]), {})).toEqual({
      image_url: undefined,
      x_percent: 10,
      y_percent: 0,
      width_percent: 100,
      height_percent: 100,
    });
  });

  it("gives a many-edge port an empty list when nothing is connected", () => {
    const ask = llm("ask");
    expect(resolveInputs(ask, graphOf([ask]), {}).images).toEqual([]);
  });
});

describe("coerceNumberInputs", () => {
  const crop = node("crop", "crop-image");
  const frame = node("frame", "extract-frame");

  it("reads numeric text as a number", () => {
    expect(coerceNumberInputs(crop, { x_percent: " 12.5 ", y_percent: "0", width_percent: 50 })).toMatchObject({
      x_percent: 12.5,
      y_percent: 0,
      width_percent: 50,
    });
  });

  it("refuses text that is not a finite number, naming the port and the value", () => {
    for (const text of ["abc", "", "12px", "Infinity", "1e999"]) {
      expect(() => coerceNumberInputs(crop, { x_percent: text }), text).toThrow(
        new NodeError(`X % must be a number, but got ${JSON.stringify(text)}.`),
      );
    }
  });

  it("shortens a long value in the message", () => {
    const essay = "not a number ".repeat(20);
    expect(() => coerceNumberInputs(crop, { x_percent: essay })).toThrow(`but got "${essay.slice(0, 60)}…".`);
  });

  it("passes a percentage on to Extract Frame's timestamp and turns seconds into a number", () => {
    expect(coerceNumberInputs(frame, { timestamp: "50%" }).timestamp).toBe("50%");
    expect(coerceNumberInputs(frame, { timestamp: "1.5" }).timestamp).toBe(1.5);
  });

  it("explains what a timestamp may be when the text is not one", () => {
    expect(() => coerceNumberInputs(frame, { timestamp: "150%" })).toThrow(
      new NodeError(
        'Timestamp must be a number of seconds (0 or more) or a percentage of the video from "0%" to "100%", but got "150%".',
      ),
    );
  });
});

describe("checkRequiredInputs", () => {
  it("asks for a user message when none is connected or typed", () => {
    for (const message of [undefined, "", "  \n"]) {
      expect(() => checkRequiredInputs(llm("ask"), { user_message: message })).toThrow(
        new NodeError("User message is required: connect a text node or type it on the node."),
      );
    }
  });

  it("asks for an image connection when a crop has none", () => {
    expect(() => checkRequiredInputs(node("crop", "crop-image"), { image_url: undefined })).toThrow(
      new NodeError("Image is required: connect a node that outputs an image."),
    );
  });

  it("accepts present values", () => {
    expect(() => checkRequiredInputs(llm("ask"), { user_message: "hello" })).not.toThrow();
  });
});

describe("mergeParams", () => {
  it("lets connected values replace typed ones", () => {
    const crop = node("crop", "crop-image", { x_percent: 5, width_percent: 50 });
    expect(mergeParams(crop, { image_url: media("p"), x_percent: 40, y_percent: 0 })).toEqual({
      x_percent: 40,
      y_percent: 0,
      width_percent: 50,
      height_percent: 100,
    });
  });

  it("applies the node's rules to upstream values too", () => {
    const crop = node("crop", "crop-image", { width_percent: 80 });
    expect(() => mergeParams(crop, { x_percent: 30 })).toThrow(
      new NodeError("width_percent must be at most 70 when x_percent is 30, so the crop stays inside the image."),
    );
    expect(() => mergeParams(crop, { x_percent: 120 })).toThrow(new NodeError("x_percent must be at most 100."));
  });
});

describe("prepareNodeInputs", () => {
  it("checks, converts and merges in one step", () => {
    const frame = node("frame", "extract-frame", { timestamp: 2 });
    const video = media("clip", "video");
    expect(prepareNodeInputs(frame, { video_url: video, timestamp: "3" })).toEqual({
      inputs: { video_url: video, timestamp: 3 },
      params: { timestamp: 3 },
    });
  });
});

describe("Resize Image's sides", () => {
  it("passes an empty side on as empty, and a side from text as a number", () => {
    const resize = node("resize", "resize-image", { width: "", height: "", fit: "cover", format: "png" });
    const text = node("size", "text", { text: "300" });
    const graph = graphOf([text, resize], [edge("size", "text", "resize", "height")]);
    const inputs = resolveInputs(resize, graph, { size: { text: "300" } });
    expect(prepareNodeInputs(resize, { ...inputs, image_url: media("photo") }).params).toEqual({
      width: "",
      height: 300,
      fit: "cover",
      format: "png",
    });
  });
});
