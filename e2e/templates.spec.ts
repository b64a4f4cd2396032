import { expect, test } from "@playwright/test";
import { signUp } from "./helpers";

// "New from template" on the workflows page, a template run out of the box (sample media
// included, the caption's LLM answered by the Gemini stub), its run page showing the joined
// video inline and the frame in the lightbox, and the workflows list showing the run.

test.use({ viewport: { width: 1600, height: 1000 } });

const HIGHLIGHT_NODES = ["demo-video", "opening", "finale", "highlights", "key-frame", "caption-prompt", "caption"];

test("a template opens as the user's copy, runs without uploads, and the list and run page show what it made", async ({ page }) => {
  await signUp(page);
  const list = page.getByRole("region", { name: "Your workflows" });
  const sample = list.getByRole("listitem").filter({ hasText: "Product Marketing Kit" });
  await expect(sample.getByTestId("last-run")).toHaveText("Not run yet");
  await expect(sample.getByRole("img", { name: "Sketch of 9 nodes" })).toBeVisible();

  const chooser = page.getByRole("region", { name: "New from template" });
  await chooser.getByRole("button", { name: "Choose a template" }).click();
  const templates = chooser.getByRole("list", { name: "Templates" }).getByRole("listitem");
  await expect(templates).toHaveCount(4);
  await expect(templates.filter({ hasText: "Product Marketing Kit" }).getByRole("img", { name: "Sketch of 9 nodes" })).toBeVisible();
  await chooser.getByRole("button", { name: "Use Video highlights" }).click();

  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  const workflowId = new URL(page.url()).pathname.split("/").pop();
  await expect(page.getByText("Video highlights").first()).toBeVisible();
  await page.getByRole("button", { name: "Run workflow" }).click();
  for (const id of HIGHLIGHT_NODES) {
    await expect(page.getByTestId(`node-${id}`)).toHaveAttribute("data-run-status", "success", { timeout: 60_000 });
  }
  // On the canvas the joined clip plays inline, without starting by itself.
  const clip = page.getByTestId("node-highlights").locator("video");
  await expect(clip).toHaveAttribute("controls", "");
  expect(await clip.evaluate((video: HTMLVideoElement) => video.autoplay)).toBe(false);
  await expect(clip).toHaveClass(/nodrag/);

  const runs = (await (await page.request.get(`/api/workflows/${workflowId}/runs`)).json()) as { runs: { id: string }[] };
  await page.goto(`/runs/${runs.runs[0].id}`);
  const details = page.getByRole("complementary", { name: "Node details" });
  const joined = details.locator('video[aria-label$="highlights output Joined video"]');
  await expect(joined).toHaveAttribute("controls", "");
  await expect.poll(() => joined.evaluate((video: HTMLVideoElement) => video.readyState), { timeout: 15_000 }).toBeGreaterThan(0);
  await details.getByRole("button", { name: /key-frame output Frame full size/ }).click();
  const lightbox = page.getByRole("dialog");
  await expect.poll(() => lightbox.getByRole("img").evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath("run-page-lightbox.png") });
  await page.keyboard.press("Escape");
  await expect(lightbox).toHaveCount(0);

  await page.goto("/workflows");
  const copy = list.getByRole("listitem").filter({ hasText: "Video highlights" });
  await expect(copy.getByTestId("last-run").locator('[data-status="completed"]')).toHaveText("Completed");
  const preview = copy.getByRole("img", { name: "Latest output of Video highlights" });
  await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath("workflows-list.png"), fullPage: true });
});
