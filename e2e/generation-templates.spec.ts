import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./helpers";

// The two templates built on the generation nodes open as the user's copy and run as they come,
// against the Gemini stub: Lifestyle scenes (the sample photo → three generated scenes → three
// social formats) and Teaser clip (a prompt → a generated shot → trimmed → joined with the demo video).

test.use({ viewport: { width: 1600, height: 1000 } });

interface RunDetail {
  run: { status: string; nodes: { nodeId: string; status: string; outputs: Record<string, { width?: number; height?: number; kind?: string }> | null }[] };
}

async function runTemplate(page: Page, name: string, nodeIds: readonly string[]): Promise<RunDetail["run"]> {
  const chooser = page.getByRole("region", { name: "New from template" });
  await chooser.getByRole("button", { name: "Choose a template" }).click();
  await chooser.getByRole("button", { name: `Use ${name}` }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  const workflowId = new URL(page.url()).pathname.split("/").pop();
  await page.getByRole("button", { name: /^Run workflow/ }).click();
  for (const id of nodeIds) {
    await expect(page.getByTestId(`node-${id}`)).toHaveAttribute("data-run-status", "success", { timeout: 90_000 });
  }
  const runs = (await (await page.request.get(`/api/workflows/${workflowId}/runs`)).json()) as { runs: { id: string }[] };
  const detail = (await (await page.request.get(`/api/runs/${runs.runs[0].id}`)).json()) as RunDetail;
  return detail.run;
}

test("Lifestyle scenes runs as it comes and makes a feed post, a story and a banner of their sizes", async ({ page }) => {
  await signUp(page);
  const run = await runTemplate(page, "Lifestyle scenes", ["product-photo", "feed-scene", "story-scene", "banner-scene", "feed-post", "story", "banner"]);
  expect(run.status).toBe("completed");
  const sizeOf = (id: string) => {
    const output = run.nodes.find((node) => node.nodeId === id)?.outputs?.output;
    return [output?.width, output?.height];
  };
  expect(sizeOf("feed-post")).toEqual([1080, 1080]);
  expect(sizeOf("story")).toEqual([1080, 1920]);
  expect(sizeOf("banner")).toEqual([1200, 628]);
});

test("Teaser clip runs as it comes and joins the generated shot with the demo video", async ({ page }) => {
  await signUp(page);
  const run = await runTemplate(page, "Teaser clip", ["shot-prompt", "demo-video", "opening-shot", "opening-cut", "teaser"]);
  expect(run.status).toBe("completed");
  expect(run.nodes.find((node) => node.nodeId === "teaser")?.outputs?.output?.kind).toBe("video");
  await expect(page.getByTestId("node-teaser").locator("video")).toHaveAttribute("controls", "");
});
