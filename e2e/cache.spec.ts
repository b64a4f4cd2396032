import { expect, test, type Page } from "@playwright/test";
import { GEMINI_STUB_URL } from "./gemini-stub-server";
import { signUp } from "./helpers";

// The output cache (ADR 016) from the editor: a second run after one prompt changed executes only
// what that change reaches; the Gemini stub (shared by the suite, which runs one test at a time)
// counts the calls that cost money.

test.use({ viewport: { width: 1600, height: 1000 } });

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const history = (page: Page) => page.getByRole("complementary", { name: "History" });
const historyRuns = (page: Page) => history(page).getByRole("list", { name: "Runs" }).locator(":scope > li");
const runButton = (page: Page) => page.getByRole("button", { name: "Run workflow" });
const cachedBadge = (page: Page, id: string) => node(page, id).locator("header").getByText("Cached", { exact: true });

async function geminiCalls(): Promise<number> {
  const response = await fetch(`${GEMINI_STUB_URL}/__control`);
  expect(response.ok).toBe(true);
  return ((await response.json()) as { requests: number }).requests;
}

async function expectLatestRun(page: Page, status: string, count: number) {
  await expect(historyRuns(page)).toHaveCount(count, { timeout: 30_000 });
  await expect(historyRuns(page).first().locator("[data-status]").first()).toHaveText(status, { timeout: 30_000 });
  await expect(runButton(page)).toBeEnabled({ timeout: 30_000 });
}

test.beforeEach(async () => {
  const response = await fetch(`${GEMINI_STUB_URL}/__control`, { method: "POST", body: JSON.stringify({ fail: null, tokenDelayMs: 5 }) });
  expect(response.ok).toBe(true);
});

test("after one prompt changes only that LLM runs again, the rest show Cached; Re-roll makes exactly one more call", async ({ page }) => {
  await signUp(page);
  await page.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  await expect(node(page, "social-media-post")).toBeVisible();

  const before = await geminiCalls();
  await runButton(page).click();
  await expectLatestRun(page, "Completed", 1);
  // The first run pays for both LLM nodes and takes nothing from the cache.
  expect(await geminiCalls()).toBe(before + 2);
  await expect(page.getByText("Cached", { exact: true })).toHaveCount(0);

  await node(page, "social-media-prompt").getByRole("textbox").fill("You are a social media manager. Write a short, upbeat post.");
  await runButton(page).click();
  await expectLatestRun(page, "Completed", 2);
  expect(await geminiCalls()).toBe(before + 3);
  for (const id of ["crop-product", "video-frame", "product-description"]) {
    await expect(node(page, id)).toHaveAttribute("data-run-status", "success");
    await expect(cachedBadge(page, id)).toHaveAttribute("href", /^\/runs\/[^/]+$/);
  }
  await expect(node(page, "social-media-post")).toHaveAttribute("data-run-status", "success");
  await expect(cachedBadge(page, "social-media-post")).toHaveCount(0);

  // The cached node links to the run that made its output: the first one.
  await cachedBadge(page, "product-description").click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByText("Cached", { exact: true })).toHaveCount(0);
  await page.goBack();
  await expect(node(page, "product-description")).toBeVisible();

  // Re-roll LLM #1: it runs fresh (one call); LLM #2 gets the same text again, so it stays cached.
  await expect(runButton(page)).toBeEnabled({ timeout: 30_000 });
  await node(page, "product-description").getByRole("button", { name: "Node menu" }).click();
  await page.getByRole("menuitem", { name: "Re-roll" }).click();
  await expectLatestRun(page, "Completed", 3);
  expect(await geminiCalls()).toBe(before + 4);
  await expect(node(page, "product-description")).toHaveAttribute("data-run-status", "success");
  await expect(cachedBadge(page, "product-description")).toHaveCount(0);
  await expect(cachedBadge(page, "social-media-post")).toBeVisible();
});

test("Always run fresh is saved with the node and undoable", async ({ page }) => {
  await signUp(page);
  await page.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  const workflowId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
  const savedFlag = async () => {
    const response = await page.request.get(`/api/workflows/${workflowId}`);
    const graph = (await response.json()).workflow.graph as { nodes: { id: string; data: Record<string, unknown> }[] };
    return graph.nodes.find((candidate) => candidate.id === "video-frame")?.data.alwaysFresh ?? false;
  };
  const menu = () => node(page, "video-frame").getByRole("button", { name: "Node menu" });
  const toggle = page.getByRole("menuitemcheckbox", { name: "Always run fresh" });

  await menu().click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await menu().click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");

  // Undo and redo, like every edit.
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("ControlOrMeta+z");
  await menu().click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await page.keyboard.press("Escape");
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("ControlOrMeta+Shift+z");

  // Saved with the graph: still set after a reload.
  await expect.poll(savedFlag, { timeout: 10_000 }).toBe(true);
  await page.reload();
  await menu().click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
});
