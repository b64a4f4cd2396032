import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./helpers";

// The Gemini models the editor offers come from Gemini's own list (the stand-in's
// E2E_STUB_MODELS here), and a workflow saved with a model Gemini retired says so on the node
// and fails that node when it runs.

test.use({ viewport: { width: 1600, height: 1000 } });

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);

test("GET /api/models and the Run LLM dropdown show the models the stand-in lists, grouped by kind", async ({ page }) => {
  await signUp(page);

  const response = await page.request.get("/api/models");
  expect(response.ok()).toBe(true);
  const catalog = await response.json();
  expect(catalog.source).toBe("live");
  expect(catalog.models.map((model: { id: string; kind: string }) => [model.id, model.kind])).toEqual([
    ["gemini-3.8-flash", "text"],
    ["gemini-3.6-flash", "text"],
    ["gemini-3.5-flash-lite", "text"],
    ["gemini-nano-banana-2.1", "image"],
    ["gemini-3.1-flash-image", "image"],
    ["veo-4.0-generate", "video"],
    ["veo-3.1-fast-generate-preview", "video"],
  ]);

  await page.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  const picker = node(page, "product-description").getByLabel("Model");
  await expect(picker).toHaveValue("gemini-3.6-flash");
  const groups = picker.locator("optgroup");
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0)).toHaveAttribute("label", "Text models");
  await expect(groups.nth(0).locator("option")).toHaveText([
    "Gemini 3.8 Flash (gemini-3.8-flash)",
    "Gemini 3.6 Flash (gemini-3.6-flash)",
    "Gemini 3.5 Flash-Lite (gemini-3.5-flash-lite)",
  ]);
  await expect(groups.nth(1)).toHaveAttribute("label", "Image models");
  await expect(groups.nth(1).locator("option")).toHaveText(["Nano Banana 2.1 (gemini-nano-banana-2.1)", "Nano Banana 2 (gemini-3.1-flash-image)"]);
  // Nothing outside the groups: the node's model is listed, so it is not added on its own.
  await expect(picker.locator(":scope > option")).toHaveCount(0);
  await expect(node(page, "product-description").getByTestId("model-warning")).toHaveCount(0);
});

test("a workflow saved with a retired model warns on the node, and its run fails that node naming the replacement", async ({ page, baseURL }) => {
  await signUp(page);
  const graph = {
    nodes: [
      { id: "question", type: "text", position: { x: 0, y: 0 }, data: { text: "Say hello." } },
      { id: "old-llm", type: "run-llm", position: { x: 400, y: 0 }, data: { model: "gemini-2.5-flash", system_prompt: "", user_message: "" } },
    ],
    edges: [{ id: "e1", source: "question", sourceHandle: "text", target: "old-llm", targetHandle: "user_message" }],
  };
  const created = await page.request.post("/api/workflows", { data: { name: "Saved last year", graph }, headers: { Origin: baseURL! } });
  expect(created.status()).toBe(201);
  const { workflow } = await created.json();

  await page.goto(`/workflows/${workflow.id}`);
  const llm = node(page, "old-llm");
  const message = 'Gemini no longer offers the model "gemini-2.5-flash" (it was retired). Pick another model on the node, such as "gemini-3.5-flash-lite".';
  await expect(llm.getByTestId("model-warning")).toContainText(message);
  // The saved model stays selected (and visible) until another is picked.
  await expect(llm.getByLabel("Model")).toHaveValue("gemini-2.5-flash");

  await page.getByRole("button", { name: "Run workflow" }).click();
  await expect(llm).toHaveAttribute("data-run-status", "failed");
  await expect(llm).toContainText(message);
  await expect(node(page, "question")).toHaveAttribute("data-run-status", "success");

  // The warning's button switches to the replacement, and the warning goes.
  await llm.getByRole("button", { name: "Use gemini-3.5-flash-lite" }).click();
  await expect(llm.getByLabel("Model")).toHaveValue("gemini-3.5-flash-lite");
  await expect(llm.getByTestId("model-warning")).toHaveCount(0);
});
