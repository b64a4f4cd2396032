import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./helpers";

// Zoomed far out, nodes draw compact (header and handles: ADR 018): the graph keeps its edges,
// a run still colours every node, and zooming back in brings the fields and results back.

test.use({ viewport: { width: 1600, height: 1000 } });

async function zoom(page: Page): Promise<number> {
  const transform = await page.locator(".react-flow__viewport").evaluate((element) => (element as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? Number.NaN);
}

test("zoomed out, nodes are compact, keep their edges and show the run; zoomed in, fields and results return", async ({ page }) => {
  await signUp(page);
  await page.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  const post = page.getByTestId("node-social-media-post");
  await expect(post.getByRole("combobox")).toBeVisible();
  await expect(post).not.toHaveAttribute("data-compact");
  const edges = await page.locator(".react-flow__edge").count();
  expect(edges).toBeGreaterThan(0);

  while ((await zoom(page)) >= 0.35) await page.getByRole("button", { name: "Zoom Out" }).click();
  await expect(post).toHaveAttribute("data-compact", "");
  await expect(post.getByRole("combobox")).toHaveCount(0);
  await expect(page.locator("[data-testid^='node-'] textarea")).toHaveCount(0);
  // Every edge still runs between two handles of the compact nodes.
  await expect(page.locator(".react-flow__edge")).toHaveCount(edges);
  await expect(post.locator(".react-flow__handle")).toHaveCount(3 + 1);

  await page.getByRole("button", { name: "Run workflow" }).click();
  await expect(post).toHaveAttribute("data-run-status", "success", { timeout: 30_000 });
  await expect(page.getByRole("group", { name: /^Run LLM social-media-post, succeeded$/ })).toBeVisible();
  await expect(page.getByRole("group", { name: /^Extract Frame video-frame, succeeded$/ })).toBeVisible();

  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(post).not.toHaveAttribute("data-compact");
  await expect(post).toHaveAttribute("data-run-status", "success");
  await expect(page.getByTestId("node-text-social-media-post")).toBeVisible();
  await expect(post.getByRole("combobox")).toBeVisible();
});
