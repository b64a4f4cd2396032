import { expect, test, type Page } from "@playwright/test";
import { STUB_REPLY_TOKENS } from "./gemini-stub-server";
import { signUp } from "./helpers";

// Generate Image in a real run, embedded mode, against the Gemini stub (which answers an image
// model with a PNG of the aspect ratio asked for, and its reply text beside it): a Text prompt
// feeds Generate Image, whose picture Resize Image scales.

test.use({ viewport: { width: 1600, height: 1000 } });

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);

async function naturalSize(page: Page, nodeId: string) {
  const image = node(page, nodeId).getByRole("img", { name: `Output of ${nodeId}` });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(0);
  return image.evaluate((element: HTMLImageElement) => ({ width: element.naturalWidth, height: element.naturalHeight }));
}

test("a prompt → Generate Image (16:9) → Resize Image run makes the image, shows it and the model's note on the node and on the run page", async ({ page, baseURL }) => {
  await signUp(page);
  const graph = {
    nodes: [
      { id: "idea", type: "text", position: { x: 0, y: 0 }, data: { text: "A lighthouse at dusk, wide shot." } },
      { id: "generate", type: "generate-image", position: { x: 380, y: 0 }, data: { aspect_ratio: "16:9" } },
      { id: "thumbnail", type: "resize-image", position: { x: 780, y: 0 }, data: { width: 512, height: "", fit: "contain", format: "png" } },
    ],
    edges: [
      { id: "e1", source: "idea", sourceHandle: "text", target: "generate", targetHandle: "prompt" },
      { id: "e2", source: "generate", sourceHandle: "image", target: "thumbnail", targetHandle: "image_url" },
    ],
  };
  const created = await page.request.post("/api/workflows", { data: { name: "Lighthouse", graph }, headers: { Origin: baseURL! } });
  expect(created.status()).toBe(201);
  const { workflow } = (await created.json()) as { workflow: { id: string } };

  await page.goto(`/workflows/${workflow.id}`);
  const generate = node(page, "generate");
  // Image models only, the shipped default selected; the connected prompt's field is greyed.
  const picker = generate.getByLabel("Model");
  await expect(picker).toHaveValue("gemini-nano-banana-2.1");
  await expect(picker.locator("optgroup")).toHaveAttribute("label", "Image models");
  await expect(picker.locator("option")).toHaveText(["Nano Banana 2.1 (gemini-nano-banana-2.1)", "Nano Banana 2 (gemini-3.1-flash-image)"]);
  await expect(generate.getByLabel("Aspect ratio")).toHaveValue("16:9");
  await expect(generate.getByLabel("Prompt")).toBeDisabled();

  await page.getByRole("button", { name: "Run workflow" }).click();
  for (const id of ["idea", "generate", "thumbnail"]) {
    await expect(node(page, id)).toHaveAttribute("data-run-status", "success", { timeout: 30_000 });
  }
  await expect(page.getByTestId("node-note-generate")).toHaveText(STUB_REPLY_TOKENS.join(""));
  expect(await naturalSize(page, "generate")).toEqual({ width: 1344, height: 768 });
  expect(await naturalSize(page, "thumbnail")).toEqual({ width: 512, height: 293 });

  // Recorded as assets with their sizes, and shown on the run's own page.
  const runs = (await (await page.request.get(`/api/workflows/${workflow.id}/runs`)).json()) as { runs: { id: string }[] };
  const runId = runs.runs[0].id;
  const detail = (await (await page.request.get(`/api/runs/${runId}`)).json()) as {
    run: { status: string; nodes: { nodeId: string; outputs: Record<string, { width?: number; height?: number; mime?: string }> | null }[] };
  };
  expect(detail.run.status).toBe("completed");
  const outputsOf = (id: string) => detail.run.nodes.find((entry) => entry.nodeId === id)?.outputs;
  expect(outputsOf("generate")?.image).toMatchObject({ mime: "image/png", width: 1344, height: 768 });
  expect(outputsOf("thumbnail")?.output).toMatchObject({ mime: "image/png", width: 512, height: 293 });

  await page.goto(`/runs/${runId}`);
  expect(await naturalSize(page, "generate")).toEqual({ width: 1344, height: 768 });
  expect(await naturalSize(page, "thumbnail")).toEqual({ width: 512, height: 293 });
  await expect(page.getByTestId("node-note-generate")).toHaveText(STUB_REPLY_TOKENS.join(""));
});
