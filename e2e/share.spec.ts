import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { GEMINI_STUB_URL, STUB_REPLY_TOKENS, type StubSettings } from "./gemini-stub-server";
import { signUp } from "./helpers";

// Run pages and share links, in real Chromium against the production build: runs are started
// through the API (Text and Crop nodes need no Gemini), then viewed by their owner and, through
// a share link, by a visitor in a fresh browser context with no account.

test.use({ viewport: { width: 1600, height: 1000 } });

const PRODUCT_DETAILS = "Product: Wireless Bluetooth Headphones. Features: Noise cancellation, 30-hour battery, foldable design.";

async function sampleWorkflowId(request: APIRequestContext): Promise<string> {
  const response = await request.get("/api/workflows");
  expect(response.status()).toBe(200);
  const { workflows } = (await response.json()) as { workflows: { id: string; name: string }[] };
  const sample = workflows.find((workflow) => workflow.name === "Product Marketing Kit");
  if (!sample) throw new Error("the sample workflow is missing");
  return sample.id;
}

async function startSingleNode(request: APIRequestContext, workflowId: string, nodeId: string): Promise<string> {
  const started = await request.post(`/api/workflows/${workflowId}/runs`, { data: { scope: "single", nodeIds: [nodeId] } });
  expect(started.status()).toBe(202);
  return ((await started.json()) as { run: { id: string } }).run.id;
}

/** Runs one node through the API and waits until the run has finished; returns its id. */
async function runSingleNode(request: APIRequestContext, workflowId: string, nodeId: string): Promise<string> {
  const run = { id: await startSingleNode(request, workflowId, nodeId) };
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${run.id}`)).json()) as { run: { status: string } }).run.status, {
      timeout: 30_000,
    })
    .toBe("completed");
  return run.id;
}

const details = (page: Page) => page.getByRole("complementary", { name: "Node details" });
const nodeDetails = (page: Page, label: string) => details(page).getByRole("listitem", { name: label });
const succeeded = (page: Page, label: string) => nodeDetails(page, label).locator('[data-status="success"]');

/** The owner makes a share link on the run page (and copies it, where the clipboard is granted); returns the URL. */
async function shareFromRunPage(page: Page, { copy = true } = {}): Promise<string> {
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const link = page.getByLabel(/^Share link/);
  await expect(link).toHaveValue(/\/share\/[A-Za-z0-9_-]{43}$/);
  const url = await link.inputValue();
  if (!copy) return url;
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  return url;
}

test("a run page shows the run, and its share link shows it read-only to anyone until revoked", async ({ page, browser, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signUp(page);
  const workflowId = await sampleWorkflowId(page.request);

  // A text-only run: the owner's page.
  const textRunId = await runSingleNode(page.request, workflowId, "product-details");
  await page.goto(`/runs/${textRunId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Product Marketing Kit" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Product Marketing Kit" })).toHaveAttribute("href", `/workflows/${workflowId}`);
  await expect(page.locator('header [data-status="completed"]')).toHaveText("Completed");
  await expect(page.locator("header").getByText("Single")).toBeVisible();
  const textNode = nodeDetails(page, "Text product-details");
  await expect(succeeded(page, "Text product-details")).toHaveText("Succeeded");
  await expect(textNode.getByText(PRODUCT_DETAILS)).toBeVisible();
  // The canvas is the graph as it ran, and it cannot be rearranged: a drag on a node pans the
  // view (its screen position changes) but leaves the node where it was in the graph.
  const canvasNode = page.getByTestId("node-product-details");
  await expect(canvasNode).toBeVisible();
  const placed = page.locator('.react-flow__node[data-id="product-details"]');
  const positionBefore = await placed.evaluate((element: HTMLElement) => element.style.transform);
  const box = await canvasNode.locator("header").boundingBox();
  if (!box) throw new Error("the node is not on screen");
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 220, box.y + 150, { steps: 5 });
  await page.mouse.up();
  expect(await placed.evaluate((element: HTMLElement) => element.style.transform)).toBe(positionBefore);
  const edges = page.locator(".react-flow__edge");
  await expect(edges).toHaveCount(9);
  const from = await page.locator('.react-flow__handle.source[data-nodeid="product-details"]').boundingBox();
  const to = await page.locator('.react-flow__handle.target[data-nodeid="video-frame"][data-handleid="timestamp"]').boundingBox();
  if (!from || !to) throw new Error("the handles are not on screen");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 6 });
  await page.mouse.up();
  await canvasNode.click();
  await page.keyboard.press("Delete");
  await page.keyboard.press("Backspace");
  await expect(edges).toHaveCount(9);
  await expect(page.locator(".react-flow__node")).toHaveCount(9);
  await page.screenshot({ path: "/tmp/share-run-page.png" });

  const textShareUrl = await shareFromRunPage(page);

  // A visitor without an account.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  const visit = await visitor.goto(textShareUrl);
  expect(visit?.status()).toBe(200);
  expect(visit?.headers()["x-robots-tag"]).toContain("noindex");
  expect(visit?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(visit?.headers()["cache-control"]).toContain("no-store");
  await expect(visitor.getByRole("heading", { level: 1, name: "Product Marketing Kit" })).toBeVisible();
  await expect(nodeDetails(visitor, "Text product-details").getByText(PRODUCT_DETAILS)).toBeVisible();
  await expect(visitor.getByText("Shared run · read-only")).toBeVisible();
  // Nothing leads into the owner's workflows, runs or settings, and nothing can be changed.
  await expect(visitor.locator('a[href^="/workflows"], a[href^="/runs"], a[href^="/settings"]')).toHaveCount(0);
  await expect(visitor.getByRole("button", { name: /Share|Revoke/ })).toHaveCount(0);

  // A run with images: the crop (its upload runs along), its media served through the link.
  const cropRunId = await runSingleNode(page.request, workflowId, "crop-product");
  await page.goto(`/runs/${cropRunId}`);
  await expect(succeeded(page, "Crop Image crop-product")).toBeVisible();
  const cropShareUrl = await shareFromRunPage(page);
  const token = new URL(cropShareUrl).pathname.split("/").pop();

  await visitor.goto(cropShareUrl);
  const cropped = nodeDetails(visitor, "Crop Image crop-product").getByRole("img", { name: /output Cropped image/ });
  await expect(cropped).toHaveAttribute("src", new RegExp(`^/share/${token}/files/[^/]+$`));
  await expect.poll(() => cropped.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  // The upload node on the canvas previews its photo through the link too.
  const photo = visitor.getByTestId("node-product-photo").getByRole("img").first();
  await expect(photo).toHaveAttribute("src", new RegExp(`^/share/${token}/files/[^/]+$`));
  await expect.poll(() => photo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  await visitor.screenshot({ path: "/tmp/share-shared-page.png" });

  // The link opens this run's files only, and only through the link.
  const croppedSrc = (await cropped.getAttribute("src")) ?? "";
  const assetId = croppedSrc.split("/").pop();
  expect((await visitor.request.get(croppedSrc)).status()).toBe(200);
  expect((await visitor.request.get(`/files/${assetId}`)).status()).toBe(404);
  await visitor.goto(`/runs/${cropRunId}`);
  await expect(visitor).toHaveURL(/\/login\?redirectTo=/);

  // Revoked: the page and its files are gone.
  await page.getByRole("button", { name: "Revoke link" }).click();
  await expect(page.getByRole("button", { name: "Share", exact: true })).toBeVisible();
  expect((await visitor.goto(cropShareUrl))?.status()).toBe(404);
  await expect(visitor.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  expect((await visitor.request.get(croppedSrc)).status()).toBe(404);
  // The other run's link is untouched by revoking this one.
  expect((await visitor.goto(textShareUrl))?.status()).toBe(200);

  await visitorContext.close();
});

test("the share API makes a new link each time and revokes it; other users' runs are 404", async ({ page, browser }) => {
  await signUp(page);
  const workflowId = await sampleWorkflowId(page.request);
  const runId = await runSingleNode(page.request, workflowId, "product-details");

  const first = await page.request.post(`/api/runs/${runId}/share`);
  expect(first.status()).toBe(201);
  const { url: firstUrl } = (await first.json()) as { url: string };
  const second = await page.request.post(`/api/runs/${runId}/share`);
  const { url: secondUrl } = (await second.json()) as { url: string };
  expect(secondUrl).not.toBe(firstUrl);

  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  expect((await stranger.request.get(firstUrl)).status()).toBe(404);
  expect((await stranger.request.get(secondUrl)).status()).toBe(200);
  await signUp(stranger);
  expect((await stranger.request.post(`/api/runs/${runId}/share`)).status()).toBe(404);
  expect((await stranger.request.delete(`/api/runs/${runId}/share`)).status()).toBe(404);
  expect((await stranger.goto(`/runs/${runId}`))?.status()).toBe(404);

  expect((await page.request.delete(`/api/runs/${runId}/share`)).status()).toBe(204);
  expect((await stranger.request.get(secondUrl)).status()).toBe(404);
  await strangerContext.close();
});

async function programGemini(settings: Partial<StubSettings>) {
  const response = await fetch(`${GEMINI_STUB_URL}/__control`, { method: "POST", body: JSON.stringify(settings) });
  expect(response.ok).toBe(true);
}

test("a run page opened while the run goes follows it live, for the owner and through a share link", async ({ page, browser }) => {
  await signUp(page);
  const workflowId = await sampleWorkflowId(page.request);
  // The first LLM needs a cropped image from an earlier run; its text inputs run along.
  await runSingleNode(page.request, workflowId, "crop-product");
  const reply = STUB_REPLY_TOKENS.join("");
  // Slow enough that the run still goes once both pages are open, even on a busy machine.
  await programGemini({ tokenDelayMs: 1000 });
  try {
    const runId = await startSingleNode(page.request, workflowId, "product-description");
    await page.goto(`/runs/${runId}`);
    const shareUrl = await shareFromRunPage(page, { copy: false });

    const visitorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    await visitor.goto(shareUrl);

    for (const viewer of [page, visitor]) {
      await expect(viewer.locator('header [data-status="running"]')).toBeVisible();
      await expect(viewer.getByTestId("node-product-description")).toHaveAttribute("data-run-status", "running");
    }
    // No reload: the end arrives live, and the full outputs with it.
    for (const viewer of [page, visitor]) {
      await expect(viewer.locator('header [data-status="completed"]')).toBeVisible({ timeout: 40_000 });
      await expect(nodeDetails(viewer, "Run LLM product-description").getByText(reply)).toBeVisible();
    }
    await visitorContext.close();
  } finally {
    await programGemini({});
  }
});
