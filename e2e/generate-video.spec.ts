import { expect, test } from "@playwright/test";
import { signUp } from "./helpers";

// A Generate Video node on the canvas: its selects offer what the chosen Veo model takes (the
// stand-in lists "veo-4.0-generate", which the shipped data does not know, so the conservative
// defaults apply), and a run plays the video the stand-in made on the node.

test.use({ viewport: { width: 1600, height: 1000 } });

test("a Generate Video node offers its model's settings, runs, and plays the video", async ({ page, baseURL }) => {
  await signUp(page);
  const graph = {
    nodes: [
      { id: "prompt", type: "text", position: { x: 0, y: 0 }, data: { text: "A paper boat on a rainy street." } },
      { id: "clip", type: "generate-video", position: { x: 400, y: 0 }, data: { model: "veo-4.0-generate", duration_seconds: 8 } },
    ],
    edges: [{ id: "e1", source: "prompt", sourceHandle: "text", target: "clip", targetHandle: "prompt" }],
  };
  const created = await page.request.post("/api/workflows", { data: { name: "Boat", graph }, headers: { Origin: baseURL! } });
  expect(created.status()).toBe(201);
  const { workflow } = await created.json();

  await page.goto(`/workflows/${workflow.id}`);
  const clip = page.getByTestId("node-clip");
  await expect(clip.getByLabel("Model")).toHaveValue("veo-4.0-generate");
  await expect(clip.getByLabel("Duration").locator("option")).toHaveText(["8 s"]);
  await expect(clip.getByLabel("Resolution").locator("option")).toHaveText(["720p"]);
  await expect(clip.getByLabel("Aspect").locator("option")).toHaveText(["16:9 landscape", "9:16 portrait"]);

  await page.getByRole("button", { name: "Run workflow" }).click();
  await expect(clip).toHaveAttribute("data-run-status", "success", { timeout: 30_000 });
  await expect(clip.locator("video")).toHaveAttribute("src", /\/files\//);
});
