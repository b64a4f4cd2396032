import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type GeminiStub,
  imageReply,
  noImage,
  promptBlocked,
  rateLimited,
  serverError,
  startGeminiStub,
  stoppedForSafety,
  STUB_IMAGE_SIZES,
} from "~test/gemini-stub";
import { createMediaFixtures, createTestMediaStore, executionContext, type MediaFixtures, type TestMediaStore } from "~test/media-fixtures";
import { FALLBACK_CATALOG } from "../gemini-models";
import { generateImageNode } from "../nodes/generate-image";
import type { LlmSettings } from "../execution";
import type { NodeInputs } from "../values";
import { createGenerateImage, generatedImage } from "./generate-image";
import { pngSize } from "./png-size";

let stub: GeminiStub;
let fixtures: MediaFixtures;
let store: TestMediaStore;

beforeAll(async () => {
  [stub, fixtures, store] = await Promise.all([startGeminiStub(), createMediaFixtures(), createTestMediaStore()]);
});

afterAll(async () => {
  await Promise.all([stub?.close(), fixtures?.remove(), store?.remove()]);
});

beforeEach(() => stub.reset());

const generateImage = createGenerateImage({ retryBaseDelayMs: 5 });

function run(fields: { params?: Record<string, string>; inputs?: NodeInputs; llm?: Partial<LlmSettings> } = {}) {
  return generateImage(
    executionContext({
      params: generateImageNode.params.parse({ prompt: "A red mug on a desk.", ...fields.params }),
      media: store,
      inputs: fields.inputs,
      llm: { apiKey: "test-key", baseUrl: stub.baseUrl, timeoutMs: 5_000, ...fields.llm },
    }),
  );
}

describe("generate-image executor against a Gemini stub", () => {
  it("asks the image model for an image of the aspect ratio; saves the PNG it answers with its size and keeps its text as the note", async () => {
    stub.program(imageReply("Here is your mug."));
    const outputs = await run({ params: { model: "gemini-3-pro-image", aspect_ratio: "16:9" } });

    const [request] = stub.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/models/gemini-3-pro-image:generateContent", apiKey: "test-key" });
    expect(request.body.contents).toEqual([{ role: "user", parts: [{ text: "A red mug on a desk." }] }]);
    expect(request.body.generationConfig).toMatchObject({ responseModalities: ["TEXT", "IMAGE"], imageConfig: { aspectRatio: "16:9" } });

    expect(outputs.note).toBe("Here is your mug.");
    expect(outputs.image).toMatchObject({ kind: "image", mime: "image/png", width: 1344, height: 768 });
    expect(store.saved).toContainEqual(outputs.image);
    expect(pngSize(await readFile(await store.localPath(store.saved.at(-1)!)))).toEqual(STUB_IMAGE_SIZES["16:9"]);
  });

  it("edits: sends the connected reference images as inline data after the prompt", async () => {
    stub.program(imageReply());
    const [png, jpeg] = await Promise.all([store.add(fixtures.png, "image"), store.add(fixtures.jpeg, "image")]);
    const outputs = await run({ params: { prompt: "Put this mug on that table." }, inputs: { images: [png, jpeg] } });

    expect(stub.requests[0].body.contents?.[0].parts).toEqual([
      { text: "Put this mug on that table." },
      { inlineData: { mimeType: "image/png", data: (await readFile(fixtures.png)).toString("base64") } },
      { inlineData: { mimeType: "image/jpeg", data: (await readFile(fixtures.jpeg)).toString("base64") } },
    ]);
    // No text part in the answer: no note.
    expect(outputs).toEqual({ image: expect.objectContaining({ width: 1024, height: 1024 }) });
  });

  it("stores a JPEG answer as a JPEG, its size read from the file", async () => {
    stub.program(imageReply("", { image: { mimeType: "image/jpeg", bytes: await readFile(fixtures.jpeg) } }));
    const outputs = await run();

    expect(outputs.image).toMatchObject({ mime: "image/jpeg", width: 320, height: 240 });
  });

  it("fails a blocked prompt or a withheld image as a safety block, without retrying", async () => {
    stub.program(promptBlocked("PROHIBITED_CONTENT"));
    await expect(run()).rejects.toMatchObject({
      name: "NodeError",
      retryable: false,
      message: "Gemini blocked this request for safety reasons (PROHIBITED_CONTENT).",
    });
    stub.program(stoppedForSafety("IMAGE_SAFETY"));
    await expect(run()).rejects.toMatchObject({ retryable: false, message: "Gemini blocked this request for safety reasons (IMAGE_SAFETY)." });
    expect(stub.requests).toHaveLength(2);
    expect(store.saved.filter((saved) => saved.width === 1024)).toHaveLength(1);
  });

  it("says no image came back, with the finish reason and what the model said instead", async () => {
    stub.program(noImage("I can only describe mugs."));
    await expect(run()).rejects.toMatchObject({
      name: "NodeError",
      retryable: false,
      message: "Gemini returned no image (finish reason: NO_IMAGE). It said: I can only describe mugs.",
    });
    expect(stub.requests).toHaveLength(1);
  });

  it("retries rate limits and server errors, then gives up with a retryable error", async () => {
    stub.program(rateLimited(), serverError(503), imageReply());
    await expect(run()).resolves.toHaveProperty("image");
    expect(stub.requests).toHaveLength(3);

    stub.reset();
    stub.program(serverError());
    await expect(run()).rejects.toMatchObject({ retryable: true, message: "Gemini had a server error (500); tried 3 times." });
  });

  it("fails a retired image model at once, naming the current image model that replaces it", async () => {
    const catalog = vi.fn(async () => FALLBACK_CATALOG);
    await expect(run({ params: { model: "gemini-3.1-flash-image-preview" }, llm: { catalog } })).rejects.toMatchObject({
      retryable: false,
      message:
        'Gemini no longer offers the model "gemini-3.1-flash-image-preview" (it was retired). Pick another model on the node, such as "gemini-3.1-flash-image".',
    });
    const live = { models: [{ id: "gemini-3.6-flash", label: "Gemini 3.6 Flash", kind: "text" as const }, { id: "gemini-4-image", label: "Gemini 4 Image", kind: "image" as const }], source: "live" as const, fetchedAt: new Date().toISOString() };
    await expect(run({ llm: { catalog: async () => live } })).rejects.toMatchObject({
      message: 'Gemini does not offer the model "gemini-nano-banana-2.1" to this API key. Pick another model on the node, such as "gemini-4-image".',
    });
    expect(stub.requests).toHaveLength(0);
  });

  it("needs a key and a prompt before calling Gemini", async () => {
    await expect(run({ llm: { apiKey: undefined } })).rejects.toThrow("Gemini is not configured: set GEMINI_API_KEY.");
    await expect(run({ params: { prompt: "  " } })).rejects.toThrow("Type a prompt or connect a Text node to it.");
    expect(stub.requests).toHaveLength(0);
  });
});

describe("generatedImage", () => {
  it("keeps what the answer says about usage, for cost accounting", () => {
    const usageMetadata = { promptTokenCount: 8, candidatesTokenCount: 1290, totalTokenCount: 1298 };
    const answer = generatedImage({
      candidates: [{ content: { parts: [{ inlineData: { mimeType: "image/png", data: Buffer.from("png").toString("base64") } }] }, finishReason: "STOP" }],
      usageMetadata,
    } as Parameters<typeof generatedImage>[0]);
    expect(answer).toMatchObject({ mimeType: "image/png", note: "", usage: usageMetadata });
  });

  it("refuses an image type Weft does not store", () => {
    const answer = { candidates: [{ content: { parts: [{ inlineData: { mimeType: "image/tiff", data: "AAAA" } }] } }] } as Parameters<typeof generatedImage>[0];
    expect(() => generatedImage(answer)).toThrow("Gemini returned an image as image/tiff, which Weft does not store; try again or pick another model.");
  });
});
