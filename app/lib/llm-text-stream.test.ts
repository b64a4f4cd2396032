import { describe, expect, it } from "vitest";
import { applyTextChunk, createTextChunker, createTextFold, type LlmTextChunk } from "./llm-text-stream";

describe("createTextChunker", () => {
  it("sends only the new end while the text grows, and nothing when it did not change", () => {
    const chunk = createTextChunker("llm");
    expect(chunk("A sturdy ")).toEqual({ nodeId: "llm", offset: 0, text: "A sturdy " });
    expect(chunk("A sturdy oak chair")).toEqual({ nodeId: "llm", offset: 9, text: "oak chair" });
    expect(chunk("A sturdy oak chair")).toBeNull();
  });

  it("sends the whole text from offset 0 when the node starts over", () => {
    const chunk = createTextChunker("llm");
    chunk("First attempt, cut short");
    expect(chunk("Second")).toEqual({ nodeId: "llm", offset: 0, text: "Second" });
  });
});

describe("applying chunks", () => {
  it("rebuilds each node's text, replacing it when a node starts over", () => {
    const chunks: LlmTextChunk[] = [
      { nodeId: "a", offset: 0, text: "Hel" },
      { nodeId: "b", offset: 0, text: "Other" },
      { nodeId: "a", offset: 3, text: "lo" },
      { nodeId: "a", offset: 0, text: "Again" },
    ];
    expect(chunks.reduce(applyTextChunk, {})).toEqual({ a: "Again", b: "Other" });
  });

  it("skips what is not a chunk", () => {
    const texts = { a: "kept" };
    expect(applyTextChunk(texts, { nodeId: "a", text: 3 })).toBe(texts);
    expect(applyTextChunk(texts, "a string")).toBe(texts);
  });

  it("folds a growing list incrementally, and a new list from the start", () => {
    const fold = createTextFold();
    const first = { nodeId: "a", offset: 0, text: "one " };
    const second = { nodeId: "a", offset: 4, text: "two" };
    expect(fold([first])).toEqual({ a: "one " });
    expect(fold([first, second])).toEqual({ a: "one two" });
    expect(fold([first, second])).toEqual({ a: "one two" });
    // Another subscription's list (a reload, a fresh token): its own chunks only.
    expect(fold([{ nodeId: "b", offset: 0, text: "bee" }])).toEqual({ b: "bee" });
  });
});
