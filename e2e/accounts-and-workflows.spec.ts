import { expect, test } from "@playwright/test";
import { logIn, signUp, uniqueEmail } from "./helpers";

test("a new account gets the sample workflow and can manage workflows", async ({ page }) => {
  const email = await signUp(page);

  const workflows = page.getByRole("main");
  await expect(workflows.getByRole("link", { name: /Product Marketing Kit/ })).toBeVisible();

  // create → lands in the workflow's page
  await page.getByLabel("Workflow name").fill("Launch teaser");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "Launch teaser" })).toBeVisible();

  // the sample workflow's page lists its nodes and connections
  await page.goto("/workflows");
  await workflows.getByRole("link", { name: /Product Marketing Kit/ }).click();
  await expect(page.getByRole("heading", { name: "Product Marketing Kit" })).toBeVisible();
  await expect(page.getByText("crop-product").first()).toBeVisible();
  await expect(page.getByText("social-media-post").first()).toBeVisible();

  // rename
  await page.goto("/workflows");
  const teaser = page.getByRole("listitem").filter({ hasText: "Launch teaser" });
  await teaser.getByRole("button", { name: "Rename" }).click();
  await teaser.getByRole("textbox").fill("Launch teaser v2");
  await teaser.getByRole("button", { name: "Save name" }).click();
  await expect(workflows.getByRole("link", { name: /Launch teaser v2/ })).toBeVisible();

  // duplicate
  const renamed = page.getByRole("listitem").filter({ hasText: "Launch teaser v2" }).first();
  await renamed.getByRole("button", { name: "Duplicate" }).click();
  await expect(workflows.getByRole("link", { name: /Launch teaser v2 \(copy\)/ })).toBeVisible();

  // delete, with confirmation
  const copy = page.getByRole("listitem").filter({ hasText: "Launch teaser v2 (copy)" });
  await copy.getByRole("button", { name: "Delete" }).click();
  await copy.getByRole("button", { name: "Confirm delete" }).click();
  await expect(workflows.getByRole("link", { name: /Launch teaser v2 \(copy\)/ })).toHaveCount(0);
  await expect(workflows.getByRole("link", { name: /Launch teaser v2/ })).toHaveCount(1);

  // log out, then back in: the workflows are still there
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/workflows");
  await expect(page).toHaveURL(/\/login/);
  await logIn(page, email);
  await expect(workflows.getByRole("link", { name: /Launch teaser v2/ })).toBeVisible();
});

test("another user's workflow is a 404 in the page and the API", async ({ browser }) => {
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await signUp(ownerPage, uniqueEmail("owner"));
  await ownerPage.getByRole("main").getByRole("link", { name: /Product Marketing Kit/ }).click();
  await expect(ownerPage).toHaveURL(/\/workflows\/[^/]+$/);
  const workflowUrl = new URL(ownerPage.url());
  const workflowId = workflowUrl.pathname.split("/").pop();

  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await signUp(strangerPage, uniqueEmail("stranger"));

  const response = await strangerPage.goto(workflowUrl.pathname);
  expect(response?.status()).toBe(404);
  await expect(strangerPage.getByText("Product Marketing Kit")).toHaveCount(0);

  const api = await strangerPage.request.get(`/api/workflows/${workflowId}`);
  expect(api.status()).toBe(404);
  expect((await api.json()).error.code).toBe("not_found");

  const put = await strangerPage.request.put(`/api/workflows/${workflowId}`, {
    data: { name: "taken over", version: 1 },
  });
  expect(put.status()).toBe(404);

  // the owner still sees it unchanged
  const own = await ownerPage.request.get(`/api/workflows/${workflowId}`);
  expect(own.status()).toBe(200);
  expect((await own.json()).workflow.name).toBe("Product Marketing Kit");

  await owner.close();
  await stranger.close();
});

test("API tokens: created on the settings page, used as Bearer, revoked", async ({ page, playwright, baseURL }) => {
  await signUp(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Token name").fill("ci script");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("it will not be shown again")).toBeVisible();
  const token = await page.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^weft_/);

  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const list = await client.get("/api/workflows");
  expect(list.status()).toBe(200);
  expect((await list.json()).workflows.map((w: { name: string }) => w.name)).toContain("Product Marketing Kit");

  const row = page.getByRole("row").filter({ hasText: "ci script" });
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "Revoke ci script" }).click();
  await expect(page.getByRole("row").filter({ hasText: "ci script" })).toHaveCount(0);

  expect((await client.get("/api/workflows")).status()).toBe(401);
  await client.dispose();
});
