import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGeminiStub, type GeminiStub } from "~test/gemini-stub";
import { countPromptTokens } from "./count-tokens";

let stub: GeminiStub;
beforeAll(async () => {
  stub = await startGeminiStub({ apiKey: "key" });
});
afterAll(() => stub.close());
beforeEach(() => stub.reset());

const prompt = { model: "gemini-3.6-flash", systemPrompt: "Be brief.", userMessage: "Describe the mug.", imageCount: 0, hasUpstreamText: false };

describe("countPromptTokens against the Gemini stub", () => {
  it("asks countTokens with the prompt's text and returns Gemini's count by node", async () => {
    const counted = await countPromptTokens({ a: prompt }, { apiKey: "key", baseUrl: stub.baseUrl, timeoutMs: 1_000 });
    // The stub counts a token per 4 characters: "Be brief." + "Describe the mug." = 26 characters.
    expect(counted).toEqual({ a: 7 });
    expect(stub.countTokensRequests).toHaveLength(1);
    expect(stub.countTokensRequests[0].path).toMatch(/\/models\/gemini-3\.6-flash:countTokens$/);
    expect(stub.countTokensRequests[0].body.contents?.[0].parts).toEqual([{ text: "Be brief." }, { text: "Describe the mug." }]);
  });

  it("asks nothing without an API key, and leaves out a node Gemini could not count", async () => {
    expect(await countPromptTokens({ a: prompt }, { apiKey: undefined, baseUrl: stub.baseUrl, timeoutMs: 1_000 })).toEqual({});
    expect(stub.countTokensRequests).toHaveLength(0);
    const counted = await countPromptTokens({ a: { ...prompt, model: "gemini-9-ultra" } }, { apiKey: "key", baseUrl: stub.baseUrl, timeoutMs: 1_000 });
    expect(counted).toEqual({});
  });
});
