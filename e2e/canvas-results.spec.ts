import { expect, test, type Page } from "@playwright/test";
import { GEMINI_STUB_URL, type StubSettings } from "./gemini-stub-server";
import { signUp } from "./helpers";

// What a run leaves on the canvas must fit it: a long LLM answer, a cropped image and a frame
// stay inside their nodes' bounded result areas, so no node ends up over another.

test.use({ viewport: { width: 1600, height: 1000 } });

const LONG_REPLY = Array.from(
  { length: 60 },
  (_, index) => `Sentence ${index + 1} of a long product description that keeps going well past what fits in a node.`,
).join(" ");

async function programGemini(settings: Partial<StubSettings>) {
  const response = await fetch(`${GEMINI_STUB_URL}/__control`, { method: "POST", body: JSON.stringify(settings) });
  expect(response.ok).toBe(true);
}

test.afterEach(async () => {
  await programGemini({ fail: null, tokenDelayMs: 40, reply: null });
});

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

async function nodeBoxes(page: Page): Promise<Box[]> {
  return page.locator('[role="group"][data-testid^="node-"]').evaluateAll((elements) =>
    elements.map((element) => {
      const rect = element.getBoundingClientRect();
      return { id: element.getAttribute("data-testid") ?? "", x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    }),
  );
}

function overlaps(boxes: Box[]): string[] {
  const found: string[] = [];
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      if (!apart) found.push(`${a.id} (${Math.round(a.y)}+${Math.round(a.height)}) overlaps ${b.id} (${Math.round(b.y)}+${Math.round(b.height)})`);
    }
  }
  return found;
}

test("after a run with a long LLM answer, no two nodes of the sample overlap, collapsed or expanded", async ({ page }) => {
  await programGemini({ tokenDelayMs: 0, reply: LONG_REPLY });
  await signUp(page);
  await page.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  const post = page.getByTestId("node-social-media-post");
  await expect(post).toBeVisible();
  expect(overlaps(await nodeBoxes(page))).toEqual([]);

  await page.getByRole("button", { name: "Run workflow" }).click();
  await expect(post).toHaveAttribute("data-run-status", "success", { timeout: 60_000 });
  await expect(page.getByTestId("node-text-product-description")).toContainText("Sentence 1 of");
  await page.screenshot({ path: test.info().outputPath("after-run.png") });
  expect(overlaps(await nodeBoxes(page))).toEqual([]);

  // Expanded, the answer scrolls inside its bounded area instead of pushing the node down.
  const description = page.getByTestId("node-product-description");
  const collapsedHeight = (await description.boundingBox())?.height ?? 0;
  await description.getByRole("button", { name: "Show more" }).click();
  await expect(description.getByRole("button", { name: "Show less" })).toBeVisible();
  await page.getByTestId("node-social-media-post").getByRole("button", { name: "Show more" }).click();
  await page.screenshot({ path: test.info().outputPath("expanded.png") });
  expect(overlaps(await nodeBoxes(page))).toEqual([]);
  expect((await description.boundingBox())?.height ?? 0).toBeLessThan(collapsedHeight + 200);
});

test("after a run of the Video highlights template, its clips and frame stay in their nodes and no two nodes overlap", async ({ page }) => {
  await programGemini({ tokenDelayMs: 0, reply: LONG_REPLY });
  await signUp(page);
  const chooser = page.getByRole("region", { name: "New from template" });
  await chooser.getByRole("button", { name: "Choose a template" }).click();
  await chooser.getByRole("button", { name: "Use Video highlights" }).click();
  const caption = page.getByTestId("node-caption");
  await expect(caption).toBeVisible();
  await page.getByRole("button", { name: "Run workflow" }).click();
  await expect(caption).toHaveAttribute("data-run-status", "success", { timeout: 60_000 });
  await expect(page.getByTestId("node-highlights")).toHaveAttribute("data-run-status", "success", { timeout: 60_000 });
  await expect(page.getByTestId("node-highlights").locator("video")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("video-highlights.png") });
  expect(overlaps(await nodeBoxes(page))).toEqual([]);
});
