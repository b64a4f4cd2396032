import { expect, test, type Page } from "@playwright/test";
import { GEMINI_STUB_URL, type StubSettings } from "./gemini-stub-server";
import { signUp } from "./helpers";

// Cost in the editor: the estimate on the Run button before a run, what each paid node cost
// after it (from the usage the Gemini stub reports), and a budget below the estimate refusing.

test.use({ viewport: { width: 1600, height: 1000 } });

async function programGemini(settings: Partial<StubSettings>) {
  const response = await fetch(`${GEMINI_STUB_URL}/__control`, { method: "POST", body: JSON.stringify(settings) });
  expect(response.ok).toBe(true);
}

async function openSample(page: Page) {
  await signUp(page);
  await page.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
}

const runButton = (page: Page) => page.getByRole("button", { name: /^▶?\s*Run workflow/ });

test.afterEach(async () => {
  await programGemini({ fail: null, tokenDelayMs: 40 });
});

test("the Run button shows the estimate before running; each LLM node shows what it cost after", async ({ page }) => {
  // 100,000 prompt and 20,000 answer tokens at gemini-3.6-flash's $0.75 / $3.75 per million: $0.15 a node.
  await programGemini({ tokenDelayMs: 0, usage: { promptTokenCount: 100_000, candidatesTokenCount: 20_000 } });
  await openSample(page);
  await expect(runButton(page)).toHaveText(/Run workflow · ≈ \$\d/, { timeout: 15_000 });
  // Each paid node says what it will cost, and on hover how that was worked out; free nodes say nothing.
  const chip = page.getByTestId("node-estimate-product-description");
  await expect(chip).toHaveText(/^≈ \$/);
  await expect(chip).toHaveAttribute("title", /^Estimated cost: ≈ [\d,]+ input tokens/);
  await expect(page.getByTestId("node-estimate-crop-product")).toHaveCount(0);

  await runButton(page).click();
  for (const id of ["product-description", "social-media-post"]) {
    const status = page.getByTestId(`node-${id}`).getByTestId("node-run-status");
    await expect(status).toContainText("$0.15", { timeout: 30_000 });
  }
});

test("a monthly budget below the estimate refuses the run with the figures", async ({ page }) => {
  await openSample(page);
  const editorUrl = page.url();
  await page.goto("/settings");
  await page.getByLabel("Monthly budget (USD)").fill("0.0001");
  await page.getByRole("button", { name: "Save limits" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Limits saved." })).toBeVisible();

  await page.goto(editorUrl);
  await expect(runButton(page)).toHaveText(/≈ \$/, { timeout: 15_000 });
  await runButton(page).click();
  await expect(page.getByRole("alert").filter({ hasText: "This run is estimated at" })).toContainText(
    /but only \$0\.0001 of your \$0\.0001 monthly budget is left/,
  );
});
