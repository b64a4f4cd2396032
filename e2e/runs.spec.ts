import { expect, test, type Page } from "@playwright/test";
import { GEMINI_STUB_URL, STUB_REPLY_TOKENS, type StubSettings } from "./gemini-stub-server";
import { signUp } from "./helpers";

// Running the Product Marketing Kit from the editor, in embedded mode, against the Gemini stub
// that playwright.config.ts starts beside the app (it streams its reply a token at a time).

test.use({ viewport: { width: 1600, height: 1000 } });

const REPLY = STUB_REPLY_TOKENS.join("");
const SAMPLE_NODES = [
  "product-photo",
  "crop-product",
  "copywriter-prompt",
  "product-details",
  "product-description",
  "product-video",
  "video-frame",
  "social-media-prompt",
  "social-media-post",
];

interface RunLogEntry {
  /** performance.now() in the page when the change was seen. */
  t: number;
  node: string;
  status?: string;
  textLength?: number;
}

declare global {
  interface Window {
    __runLog?: RunLogEntry[];
  }
}

async function programGemini(settings: Partial<StubSettings>) {
  const response = await fetch(`${GEMINI_STUB_URL}/__control`, { method: "POST", body: JSON.stringify(settings) });
  expect(response.ok).toBe(true);
}

async function openSample(page: Page) {
  await signUp(page);
  await page.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await expect(node(page, "social-media-post")).toBeVisible();
}

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const history = (page: Page) => page.getByRole("complementary", { name: "History" });
const historyRuns = (page: Page) => history(page).getByRole("list", { name: "Runs" }).locator(":scope > li");
const runButton = (page: Page) => page.getByRole("button", { name: "Run workflow" });

async function expectStatus(page: Page, ids: readonly string[], status: string, timeout = 30_000) {
  for (const id of ids) await expect(node(page, id)).toHaveAttribute("data-run-status", status, { timeout });
}

async function runNode(page: Page, id: string) {
  // The history can show a run as ended a moment before the editor's live view of it does; the
  // editor takes a new run once its own Run button is enabled again.
  await expect(runButton(page)).toBeEnabled({ timeout: 30_000 });
  await node(page, id).getByRole("button", { name: "Node menu" }).click();
  await page.getByRole("menuitem", { name: "Run node" }).click();
}

/** The newest history entry shows this scope and status. */
async function expectLatestRun(page: Page, scope: string, status: string, count?: number) {
  const latest = historyRuns(page).first();
  await expect(latest.getByRole("button").first()).toContainText(scope);
  await expect(latest.locator("[data-status]").first()).toHaveText(status, { timeout: 30_000 });
  if (count !== undefined) await expect(historyRuns(page)).toHaveCount(count);
}

/**
 * Records, in the page, every change of each node's run status and of the length of its text
 * result, with the time it was seen: the order things lit up in, and how the LLM text grew.
 */
async function recordRun(page: Page) {
  await page.evaluate(() => {
    const log: RunLogEntry[] = [];
    window.__runLog = log;
    const seen = new Map<string, string | number>();
    const scan = () => {
      const t = performance.now();
      for (const element of document.querySelectorAll<HTMLElement>('[role="group"][data-testid^="node-"]')) {
        const id = (element.dataset.testid ?? "").slice("node-".length);
        const status = element.dataset.runStatus ?? "";
        if (seen.get(id) !== status) {
          seen.set(id, status);
          log.push({ t, node: id, status });
        }
        const textLength = element.querySelector(`[data-testid="node-text-${id}"]`)?.textContent?.length ?? 0;
        if (seen.get(`${id}:text`) !== textLength) {
          seen.set(`${id}:text`, textLength);
          log.push({ t, node: id, textLength });
        }
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

function firstSeen(log: RunLogEntry[], id: string, statuses: readonly string[]): number {
  return log.find((entry) => entry.node === id && entry.status !== undefined && statuses.includes(entry.status))?.t ?? Infinity;
}

test.beforeEach(async () => {
  await programGemini({ fail: null, tokenDelayMs: 40 });
});

test("Run workflow: nodes light up in dataflow order, the LLM text streams in, all turn green, and the run is in the history", async ({
  page,
}) => {
  // Slow enough that a busy machine still sees each node running before it ends.
  await programGemini({ tokenDelayMs: 200 });
  await openSample(page);
  await expect(page.getByRole("button", { name: "Run selected (0)" })).toBeDisabled();
  // While the graph is edited, every edge (the sample has nine) flows.
  await expect(page.locator(".react-flow__edge-path")).toHaveCount(9);
  await expect(page.locator(".react-flow__edge-path.weft-edge-flowing")).toHaveCount(9);
  await recordRun(page);
  // The LLM text comes over the run's realtime stream, as useRealtimeRunWithStreams reads it.
  const textStream = page.waitForRequest(/\/realtime\/v1\/streams\/[^/]+\/llm-text$/);
  await runButton(page).click();
  await textStream;

  const description = node(page, "product-description");
  const post = node(page, "social-media-post");
  await expect(description).toHaveAttribute("data-run-status", "running");
  // The purple glow pulses (on a layer of its own, see flow.css).
  await expect
    .poll(() => description.evaluate((element) => getComputedStyle(element, "::after").animationName))
    .toBe("weft-node-pulse");
  await expect(post).toHaveAttribute("data-run-status", "queued");
  await expect(page.getByRole("button", { name: "Cancel run" })).toBeVisible();
  await expect(runButton(page)).toBeDisabled();

  // The History sidebar opened with the run; bring the whole graph back into view.
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(post).toHaveAttribute("data-run-status", "running", { timeout: 20_000 });
  await expect(post.getByTestId("node-text-social-media-post")).not.toHaveText("");
  // During the run, only the edges into the running node flow: its four inputs.
  await expect(page.locator(".react-flow__edge-path.weft-edge-flowing")).toHaveCount(4);
  await page.screenshot({ path: "/tmp/run-mid.png" });

  await expectStatus(page, SAMPLE_NODES, "success");
  await expect(post.getByTestId("node-text-social-media-post")).toHaveText(REPLY);
  await expect(description.getByTestId("node-text-product-description")).toHaveText(REPLY);
  await expect(node(page, "crop-product").getByRole("img", { name: "Output of crop-product" })).toBeVisible();
  await expect(node(page, "video-frame").getByRole("img", { name: "Output of video-frame" })).toBeVisible();
  await expectLatestRun(page, "Full", "Completed", 1);
  await expect(runButton(page)).toBeEnabled();
  await page.screenshot({ path: "/tmp/run-done.png" });

  // Dataflow order: each node started only once what feeds it had succeeded; LLM #2 waited for both branches.
  const log = await page.evaluate(() => window.__runLog ?? []);
  const began = (id: string) => firstSeen(log, id, ["running", "success"]);
  const succeeded = (id: string) => firstSeen(log, id, ["success"]);
  expect(began("crop-product")).toBeLessThan(began("social-media-post"));
  expect(began("video-frame")).toBeLessThan(began("social-media-post"));
  expect(began("product-description")).toBeGreaterThanOrEqual(succeeded("crop-product"));
  for (const upstream of ["product-description", "crop-product", "video-frame"]) {
    expect(began("social-media-post")).toBeGreaterThanOrEqual(succeeded(upstream));
  }
  expect(firstSeen(log, "social-media-post", ["running"])).toBeLessThan(Infinity);

  // LLM #2's text grew token by token while it ran.
  const lengths = log
    .filter((entry) => entry.node === "social-media-post" && entry.textLength !== undefined && entry.t < succeeded("social-media-post"))
    .map((entry) => entry.textLength ?? 0)
    .filter((length) => length > 0);
  expect(lengths.length).toBeGreaterThanOrEqual(3);
  expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  expect(lengths[0]).toBeLessThan(REPLY.length);

  // The run's details: every node with its status, inputs and outputs; images open in a lightbox.
  await historyRuns(page).first().getByRole("button").first().click();
  const details = history(page).getByRole("list", { name: "Nodes" });
  const postDetails = details.getByRole("listitem", { name: "Run LLM social-media-post" });
  await expect(postDetails).toContainText("Succeeded");
  await expect(postDetails).toContainText("Inputs used");
  await expect(postDetails).toContainText(REPLY);
  await expect(history(page).getByRole("link", { name: /Open run page/ })).toHaveAttribute("href", /^\/runs\/[^/]+$/);
  await page.screenshot({ path: "/tmp/run-history.png" });
  await details
    .getByRole("listitem", { name: "Crop Image crop-product" })
    .getByRole("button", { name: /^Open .* output .* full size$/ })
    .click();
  const lightbox = page.getByRole("dialog");
  await expect(lightbox.getByRole("img")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(lightbox).toHaveCount(0);

  // The results leave the canvas on request; the history keeps the run.
  await page.getByRole("button", { name: "Clear results" }).click();
  await expect(node(page, "social-media-post")).not.toHaveAttribute("data-run-status");
  await expect(historyRuns(page)).toHaveCount(1);
});

test("reloading mid-run picks the live view up again", async ({ page }) => {
  await programGemini({ tokenDelayMs: 200 });
  await openSample(page);
  await runButton(page).click();
  await expect(node(page, "product-description")).toHaveAttribute("data-run-status", "running");

  await page.reload();
  await expect(node(page, "crop-product")).toHaveAttribute("data-run-status", "success");
  await expect(historyRuns(page).first().locator("[data-status]").first()).toHaveText("Running");
  // Still live: the last LLM starts and finishes after the reload.
  await expect(node(page, "social-media-post")).toHaveAttribute("data-run-status", "running", { timeout: 20_000 });
  await expectStatus(page, SAMPLE_NODES, "success");
  await expectLatestRun(page, "Full", "Completed", 1);
});

test("the live view swaps in a fresh token before the current one expires", async ({ page }) => {
  await programGemini({ tokenDelayMs: 200 });
  // The page's timers run on a clock the test can move: a token's 15 minutes pass in an instant.
  await page.clock.install();
  await openSample(page);
  const feedTokens = new Set<string>();
  page.on("request", (request) => {
    if (request.url().includes("/realtime/v1/runs/")) feedTokens.add(request.headers().authorization ?? "");
  });
  await runButton(page).click();
  await expect(node(page, "product-description")).toHaveAttribute("data-run-status", "running");
  expect(feedTokens.size).toBe(1);
  // Tokens carry their issue time in whole seconds: one issued within the same second would be
  // the very same token, which the feed rightly keeps.
  await page.waitForTimeout(1_100);

  const renewal = page.waitForResponse((response) => /\/api\/runs\/[^/]+\/realtime$/.test(new URL(response.url()).pathname));
  await page.clock.fastForward("13:01");
  expect((await renewal).ok()).toBe(true);
  // The feed reopened with the new token and the run is still followed to its end.
  await expectStatus(page, SAMPLE_NODES, "success");
  expect(feedTokens.size).toBe(2);
  await expectLatestRun(page, "Full", "Completed", 1);
});

test("Run node and Run selected each add a history entry with their scope; a missing upstream output is explained", async ({ page }) => {
  await openSample(page);

  // Nothing has run yet, so LLM #2 alone lacks the outputs of the nodes feeding it.
  await runNode(page, "social-media-post");
  const notice = page.getByRole("alert").filter({ hasText: "has no successful output yet" });
  await expect(notice).toContainText('Run LLM "product-description"');
  await expect(notice).toContainText('Extract Frame "video-frame"');
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(notice).toHaveCount(0);

  await runNode(page, "video-frame");
  await expectStatus(page, ["product-video", "video-frame"], "success");
  await expectLatestRun(page, "Single", "Completed", 1);
  // Nodes outside the run show nothing of it.
  await expect(node(page, "social-media-post")).not.toHaveAttribute("data-run-status");

  await node(page, "crop-product").locator("header h3").click();
  await node(page, "product-description").locator("header h3").click({ modifiers: ["Control"] });
  await page.getByRole("button", { name: "Run selected (2)" }).click();
  await expectStatus(page, ["crop-product", "product-description"], "success");
  await expectLatestRun(page, "2 nodes", "Completed", 2);

  // Now every node feeding LLM #2 has an output to lend it.
  await runNode(page, "social-media-post");
  await expectStatus(page, ["social-media-post"], "success");
  await expect(node(page, "social-media-post").getByTestId("node-text-social-media-post")).toHaveText(REPLY);
  await expectLatestRun(page, "Single", "Completed", 3);
});

test("a failing LLM turns red with its error, the run is partial, and Retry failed completes it", async ({ page }) => {
  await programGemini({ fail: "invalid-key" });
  await openSample(page);
  await runButton(page).click();

  const description = node(page, "product-description");
  const post = node(page, "social-media-post");
  await expect(description).toHaveAttribute("data-run-status", "failed", { timeout: 20_000 });
  await expect(description.getByRole("alert")).toHaveText("Gemini rejected the API key.");
  await expect(post).toHaveAttribute("data-run-status", "skipped");
  await expect(post).toContainText('Skipped because Run LLM "product-description" failed.');
  await expectStatus(page, ["crop-product", "video-frame"], "success");
  await expectLatestRun(page, "Full", "Partial", 1);
  await page.screenshot({ path: "/tmp/run-failed.png" });

  await programGemini({ fail: null });
  await historyRuns(page).first().getByRole("button").first().click();
  await history(page).getByRole("button", { name: "Retry failed" }).click();
  await expectLatestRun(page, "Retry", "Completed", 2);
  await expectStatus(page, SAMPLE_NODES, "success");
  await expect(post.getByTestId("node-text-social-media-post")).toHaveText(REPLY);
});

test("Cancel run stops a run", async ({ page }) => {
  await programGemini({ tokenDelayMs: 400 });
  await openSample(page);
  await runButton(page).click();
  await expect(node(page, "product-description")).toHaveAttribute("data-run-status", "running");

  await page.getByRole("button", { name: "Cancel run" }).click();
  await expectStatus(page, ["product-description", "social-media-post"], "cancelled", 10_000);
  await expectLatestRun(page, "Full", "Cancelled", 1);
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await expect(runButton(page)).toBeEnabled();
});
