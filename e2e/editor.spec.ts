import { expect, test, type Locator, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { crc32, deflateSync } from "node:zlib";
import { signUp } from "./helpers";

// Room for the whole Product Marketing Kit at 100 % zoom, so every handle can be reached.
test.use({ viewport: { width: 1600, height: 1000 } });

const TEXTS = {
  copywriter:
    "You are a professional marketing copywriter. Generate a compelling one-paragraph product description.",
  product: "Product: Wireless Bluetooth Headphones. Features: Noise cancellation, 30-hour battery, foldable design.",
  social:
    "You are a social media manager. Create a tweet-length marketing post based on the product image and video frame.",
};

async function createWorkflow(page: Page, name: string) {
  await signUp(page);
  await page.getByLabel("Workflow name").fill(name);
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await expect(page.getByRole("button", { name: "Collapse sidebar" })).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop() ?? "";
}

const canvas = (page: Page) => page.getByRole("main", { name: "Canvas" });
const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const nodes = (page: Page) => page.locator(".react-flow__node");
const edges = (page: Page) => page.locator(".react-flow__edge");
const saved = (page: Page) => page.getByRole("status").filter({ hasText: /^Saved$/ });
const sidebarButton = (page: Page, label: string) =>
  page.getByRole("complementary", { name: "Nodes" }).getByRole("button", { name: label, exact: true });

function handle(page: Page, nodeId: string, handleId: string, kind: "source" | "target"): Locator {
  return page.locator(`.react-flow__handle.${kind}[data-nodeid="${nodeId}"][data-handleid="${handleId}"]`);
}

async function centre(locator: Locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element is not visible");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a connection with the mouse; `whileOver` runs while the pointer rests on the target. */
async function dragConnection(
  page: Page,
  from: [string, string],
  to: [string, string],
  whileOver?: () => Promise<void>,
) {
  const start = await centre(handle(page, from[0], from[1], "source"));
  const end = await centre(handle(page, to[0], to[1], "target"));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 6 });
  await whileOver?.();
  await page.mouse.up();
}

async function connect(page: Page, from: [string, string], to: [string, string]) {
  const before = await edges(page).count();
  await dragConnection(page, from, to);
  await expect(edges(page)).toHaveCount(before + 1);
}

/** Drags a node by its header so its top-left corner lands on the given screen point. */
async function moveNode(page: Page, id: string, to: { x: number; y: number }) {
  const box = await node(page, id).boundingBox();
  if (!box) throw new Error(`node ${id} is not visible`);
  const grab = { x: box.x + 24, y: box.y + 14 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  // React Flow starts dragging once the pointer has moved a little, and counts from there.
  await page.mouse.move(grab.x + 3, grab.y + 3);
  await page.mouse.move(to.x + 24 + 3, to.y + 14 + 3, { steps: 5 });
  await page.mouse.up();
  await expectNodeAt(page, id, to);
}

async function expectNodeAt(page: Page, id: string, to: { x: number; y: number }) {
  await expect
    .poll(async () => {
      const box = await node(page, id).boundingBox();
      return box ? Math.max(Math.abs(box.x - to.x), Math.abs(box.y - to.y)) : Number.POSITIVE_INFINITY;
    })
    .toBeLessThanOrEqual(2);
}

/** Clicks a sidebar button (the node appears in the middle of the view), then moves the node into place. */
async function addByClick(page: Page, label: string, id: string, to: { x: number; y: number }) {
  await sidebarButton(page, label).click();
  await expect(node(page, id)).toBeVisible();
  await moveNode(page, id, to);
}

/** Drags a sidebar button onto the canvas; the node's header lands under the pointer. */
async function addByDrag(page: Page, label: string, id: string, to: { x: number; y: number }) {
  const area = await canvas(page).boundingBox();
  if (!area) throw new Error("canvas is not visible");
  await sidebarButton(page, label).dragTo(canvas(page), {
    targetPosition: { x: to.x - area.x + 144, y: to.y - area.y + 20 },
  });
  await expect(node(page, id)).toBeVisible();
  await expectNodeAt(page, id, to);
}

async function pressOnCanvas(page: Page, keys: string) {
  // Keys typed in a field belong to the field; clicking the empty canvas first takes focus away.
  const area = await canvas(page).boundingBox();
  if (!area) throw new Error("canvas is not visible");
  await page.mouse.click(area.x + area.width - 40, area.y + 120);
  await page.keyboard.press(keys);
}

async function savedGraph(page: Page, workflowId: string) {
  const response = await page.request.get(`/api/workflows/${workflowId}`);
  expect(response.ok()).toBe(true);
  return (await response.json()).workflow.graph as { nodes: { id: string; data: Record<string, unknown> }[]; edges: { id: string }[] };
}

test("builds the Product Marketing Kit from an empty canvas, with undo, reload and export/import", async ({ page }) => {
  // A whole working session: about a hundred pointer gestures and several saves.
  test.setTimeout(180_000);
  const workflowId = await createWorkflow(page, "Marketing kit by hand");
  await expect(nodes(page)).toHaveCount(0);
  const area = await canvas(page).boundingBox();
  if (!area) throw new Error("canvas is not visible");
  const at = (x: number, y: number) => ({ x: area.x + x, y: area.y + y });

  // Four nodes dragged from the sidebar to where they belong, five added by click and moved.
  await addByDrag(page, "Upload Image", "upload-image-1", at(20, 20));
  await addByDrag(page, "Crop Image", "crop-image-1", at(340, 20));
  await addByDrag(page, "Upload Video", "upload-video-1", at(20, 300));
  await addByDrag(page, "Extract Frame", "extract-frame-1", at(20, 580));
  await addByClick(page, "Text", "text-1", at(340, 370));
  await addByClick(page, "Text", "text-2", at(340, 620));
  await addByClick(page, "Run LLM", "run-llm-1", at(660, 20));
  await addByClick(page, "Text", "text-3", at(660, 470));
  await addByClick(page, "Run LLM", "run-llm-2", at(990, 200));
  await expect(nodes(page)).toHaveCount(9);

  await node(page, "text-1").getByLabel("Text", { exact: true }).fill(TEXTS.copywriter);
  await node(page, "text-2").getByLabel("Text", { exact: true }).fill(TEXTS.product);
  await node(page, "text-3").getByLabel("Text", { exact: true }).fill(TEXTS.social);

  await connect(page, ["upload-image-1", "image"], ["crop-image-1", "image_url"]);
  await connect(page, ["crop-image-1", "output"], ["run-llm-1", "images"]);

  // An image cannot feed a prompt: refused while dragging (red line) and on release.
  await dragConnection(page, ["crop-image-1", "output"], ["run-llm-1", "user_message"], async () => {
    await expect(page.locator(".react-flow__connection.invalid")).toBeVisible();
    await expect(handle(page, "run-llm-1", "user_message", "target")).toHaveClass(/connectingto/);
    await expect(handle(page, "run-llm-1", "user_message", "target")).not.toHaveClass(/\bvalid\b/);
  });
  await expect(edges(page)).toHaveCount(2);
  await expect(page.getByText("Can’t connect: An image cannot feed a text input.")).toBeVisible();

  await connect(page, ["run-llm-1", "output"], ["run-llm-2", "user_message"]);
  // LLM #2 already reads LLM #1, so feeding LLM #1 from LLM #2 would close a loop.
  await dragConnection(page, ["run-llm-2", "output"], ["run-llm-1", "system_prompt"]);
  await expect(edges(page)).toHaveCount(3);
  await expect(page.getByText("Can’t connect: This connection would make a loop")).toBeVisible();

  await connect(page, ["text-1", "text"], ["run-llm-1", "system_prompt"]);
  await connect(page, ["text-2", "text"], ["run-llm-1", "user_message"]);
  await connect(page, ["upload-video-1", "video"], ["extract-frame-1", "video_url"]);
  await connect(page, ["text-3", "text"], ["run-llm-2", "system_prompt"]);
  await connect(page, ["crop-image-1", "output"], ["run-llm-2", "images"]);
  await connect(page, ["extract-frame-1", "output"], ["run-llm-2", "images"]);
  await expect(edges(page)).toHaveCount(9);

  // Undo and redo, from the keyboard.
  await pressOnCanvas(page, "Control+z");
  await expect(edges(page)).toHaveCount(8);
  await page.keyboard.press("Control+z");
  await expect(edges(page)).toHaveCount(7);
  await page.keyboard.press("Control+Shift+z");
  await expect(edges(page)).toHaveCount(8);
  await page.keyboard.press("Control+y");
  await expect(edges(page)).toHaveCount(9);

  // Delete with the keyboard takes the node's edges along; one undo brings all of it back.
  await node(page, "crop-image-1").getByRole("heading", { name: "Crop Image" }).click();
  await page.keyboard.press("Delete");
  await expect(nodes(page)).toHaveCount(8);
  await expect(edges(page)).toHaveCount(6);
  await page.keyboard.press("Control+z");
  await expect(nodes(page)).toHaveCount(9);
  await expect(edges(page)).toHaveCount(9);

  // A connected field is disabled and names its source.
  const systemPrompt = node(page, "run-llm-1").getByLabel("System prompt");
  await expect(systemPrompt).toBeDisabled();
  await expect(node(page, "run-llm-1").getByText("← Text (text-1)")).toBeVisible();
  await expect(node(page, "run-llm-2").getByText("← Crop Image (crop-image-1)")).toBeVisible();
  await expect(node(page, "run-llm-2").getByText("← Extract Frame (extract-frame-1)")).toBeVisible();

  // Parameters: the crop is typed on the node and checked as it is typed.
  const crop = node(page, "crop-image-1");
  await crop.getByLabel("Width %").fill("120");
  await expect(crop.getByText("Width % must be at most 100.")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Not saved" })).toContainText("width_percent must be at most 100");
  for (const [label, value] of [["X %", "10"], ["Y %", "10"], ["Width %", "80"], ["Height %", "80"]]) {
    await crop.getByLabel(label).fill(value);
  }
  await expect(crop.getByText(/must be at most/)).toHaveCount(0);
  await node(page, "extract-frame-1").getByLabel("Timestamp").fill("50%");
  await expect(saved(page)).toBeVisible();

  // Ctrl+Z inside a text field is the field's own undo, not the graph's.
  const productText = node(page, "text-2").getByLabel("Text", { exact: true });
  await productText.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("!");
  await page.keyboard.press("Control+z");
  await expect(nodes(page)).toHaveCount(9);
  await expect(edges(page)).toHaveCount(9);
  await expect(productText).toHaveValue(TEXTS.product);

  // Reload shows the saved graph.
  await expect(saved(page)).toBeVisible();
  const beforeReload = await savedGraph(page, workflowId);
  expect(beforeReload.nodes).toHaveLength(9);
  expect(beforeReload.edges).toHaveLength(9);
  await page.reload();
  await expect(nodes(page)).toHaveCount(9);
  await expect(edges(page)).toHaveCount(9);
  await expect(node(page, "text-1").getByLabel("Text", { exact: true })).toHaveValue(TEXTS.copywriter);
  await expect(node(page, "crop-image-1").getByLabel("Width %")).toHaveValue("80");
  await expect(node(page, "extract-frame-1").getByLabel("Timestamp")).toHaveValue("50%");
  expect(beforeReload.nodes.find((saved) => saved.id === "crop-image-1")?.data).toEqual({
    x_percent: 10,
    y_percent: 10,
    width_percent: 80,
    height_percent: 80,
  });

  // Export, change the graph, import the file: the graph is exactly the exported one again.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export" }).click()]);
  expect(download.suggestedFilename()).toBe("marketing-kit-by-hand.weft.json");
  const exportedPath = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(exportedPath);
  const exported = JSON.parse(await readFile(exportedPath, "utf8"));
  expect(exported.nodes).toHaveLength(9);

  await node(page, "run-llm-2").getByRole("button", { name: "Node menu" }).click();
  await node(page, "run-llm-2").getByRole("menuitem", { name: "Delete" }).click();
  await expect(nodes(page)).toHaveCount(8);
  await expect(saved(page)).toBeVisible();
  expect((await savedGraph(page, workflowId)).nodes).toHaveLength(8);

  await page.getByLabel("Import workflow file").setInputFiles(exportedPath);
  await expect(nodes(page)).toHaveCount(9);
  await expect(edges(page)).toHaveCount(9);
  await expect(saved(page)).toBeVisible();
  const afterImport = await savedGraph(page, workflowId);
  expect(afterImport).toEqual({ nodes: exported.nodes, edges: exported.edges });

  // The import is one undo step.
  await pressOnCanvas(page, "Control+z");
  await expect(nodes(page)).toHaveCount(8);
  await page.keyboard.press("Control+Shift+z");
  await expect(nodes(page)).toHaveCount(9);
});

test("import: a broken file is refused with its problems listed; a valid file dropped on the canvas loads", async ({ page }) => {
  await createWorkflow(page, "Import check");
  await sidebarButton(page, "Text").click();
  await expect(nodes(page)).toHaveCount(1);

  const broken = {
    format: "weft.workflow",
    formatVersion: 1,
    name: "Broken",
    nodes: [
      { id: "a", type: "teleport", position: { x: 0, y: 0 }, data: {} },
      { id: "b", type: "crop-image", position: { x: 0, y: 0 }, data: { width_percent: 300 } },
    ],
    edges: [],
  };
  await page.getByLabel("Import workflow file").setInputFiles({
    name: "broken.weft.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(broken)),
  });
  const dialog = page.getByRole("alertdialog", { name: "broken.weft.json cannot be imported" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("listitem")).toHaveCount(2);
  await expect(dialog).toContainText('Node "a" has the unknown type "teleport"');
  await expect(dialog).toContainText("width_percent must be at most 100");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(nodes(page)).toHaveCount(1);

  // A valid file dropped on the canvas replaces the graph.
  const valid = {
    format: "weft.workflow",
    formatVersion: 1,
    name: "Dropped",
    exportedAt: new Date().toISOString(),
    nodes: [
      { id: "intro", type: "text", position: { x: 0, y: 0 }, data: { text: "Hello" } },
      { id: "writer", type: "run-llm", position: { x: 400, y: 0 }, data: {} },
    ],
    edges: [{ id: "intro-writer", source: "intro", sourceHandle: "text", target: "writer", targetHandle: "user_message" }],
  };
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "dropped.weft.json", { type: "application/json" }));
    return transfer;
  }, JSON.stringify(valid));
  await canvas(page).locator(".react-flow__pane").dispatchEvent("drop", { dataTransfer });
  await expect(node(page, "intro")).toBeVisible();
  await expect(nodes(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(1);
  await expect(node(page, "writer").getByText("← Text (intro)")).toBeVisible();
  await expect(saved(page)).toBeVisible();
});

test("sidebar search, collapse, node menu, copy/paste and duplicate", async ({ page }) => {
  await createWorkflow(page, "Palette");
  const sidebar = page.getByRole("complementary", { name: "Nodes" });
  // Eleven node types and the collapse button.
  await expect(sidebar.getByRole("button")).toHaveCount(12);
  // Descriptions count too: Concat Videos speaks of frame rates.
  await sidebar.getByLabel("Search nodes").fill("frame");
  await expect(sidebar.getByRole("list", { name: "Node types" }).getByRole("listitem")).toHaveText(["Extract Frame", "Concat Videos"]);
  await sidebar.getByLabel("Search nodes").fill("");

  await sidebarButton(page, "Crop Image").click();
  await sidebarButton(page, "Crop Image").click();
  await expect(node(page, "crop-image-2")).toBeVisible();
  // Successive adds do not stack exactly.
  const first = await node(page, "crop-image-1").boundingBox();
  const second = await node(page, "crop-image-2").boundingBox();
  expect(second?.x).not.toBe(first?.x);

  await node(page, "crop-image-2").getByRole("button", { name: "Node menu" }).click();
  await node(page, "crop-image-2").getByRole("menuitem", { name: "Duplicate" }).click();
  await expect(node(page, "crop-image-3")).toBeVisible();

  // The duplicate is selected: copy it and paste twice.
  await pressOnCanvas(page, "Escape");
  await node(page, "crop-image-3").getByRole("heading", { name: "Crop Image" }).click();
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(node(page, "crop-image-4")).toBeVisible();
  await page.keyboard.press("Control+d");
  await expect(node(page, "crop-image-5")).toBeVisible();
  await expect(nodes(page)).toHaveCount(5);
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  await expect(nodes(page)).toHaveCount(3);

  await page.getByRole("button", { name: "Collapse sidebar" }).click();
  await expect(sidebarButton(page, "Text")).toBeHidden();
  await page.getByRole("button", { name: "Expand sidebar" }).click();
  await expect(sidebarButton(page, "Text")).toBeVisible();

  // Rename from the toolbar; the name is saved with the graph.
  await page.getByRole("heading", { name: "Palette" }).getByRole("button").click();
  await page.getByLabel("Workflow name").fill("Palette renamed");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Palette renamed" })).toBeVisible();
  await expect(saved(page)).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Palette renamed" })).toBeVisible();
  await expect(nodes(page)).toHaveCount(3);
});

test("a save from another tab is detected and explained", async ({ page }) => {
  const workflowId = await createWorkflow(page, "Two tabs");
  await expect(saved(page)).toBeVisible();
  // Another tab saves first.
  const other = await page.request.put(`/api/workflows/${workflowId}`, { data: { name: "Other tab", version: 1 } });
  expect(other.ok()).toBe(true);

  await sidebarButton(page, "Text").click();
  const banner = page.getByRole("alert").filter({ hasText: "This workflow was changed in another tab or window." });
  await expect(banner).toBeVisible();
  await banner.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByRole("heading", { name: "Other tab" })).toBeVisible();
  await expect(nodes(page)).toHaveCount(0);
});

test("uploads an image with progress and a preview, and rejects an .exe posing as .png", async ({ page }) => {
  await createWorkflow(page, "Uploads");
  await sidebarButton(page, "Upload Image").click();
  const upload = node(page, "upload-image-1");
  await expect(upload).toBeVisible();

  // Slow the upload down so its progress can be watched.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 400 * 1024,
  });

  const png = noisePng(640, 480);
  await upload.getByLabel("Image file").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png });
  const progress = upload.getByRole("progressbar", { name: "Uploading photo.png" });
  await expect(progress).toBeVisible();
  // Part-way through, not just a bar that jumps from 0 to done.
  await expect
    .poll(async () => {
      const percent = Number(await progress.getAttribute("aria-valuenow"));
      return percent > 0 && percent < 100;
    })
    .toBe(true);
  const preview = upload.getByRole("img", { name: "Uploaded image" });
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(progress).toBeHidden();
  await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(640);
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await expect(saved(page)).toBeVisible();

  // A Windows program renamed to .png is refused by its content, with the server's reason on the node.
  const program = Buffer.concat([Buffer.from("MZ"), randomBytes(4_000)]);
  await upload.getByLabel("Image file").setInputFiles({ name: "holiday.png", mimeType: "image/png", buffer: program });
  const alert = upload.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/not a .*image/i);
  // The earlier upload stays.
  await expect(preview).toBeVisible();
});

/** A valid PNG of random pixels (incompressible, so the upload takes measurable time). */
function noisePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) rows.push(Buffer.concat([Buffer.from([0]), randomBytes(width * 3)]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("Concat Videos lists its clips in order; moving one reorders the saved edges, kept after a reload", async ({ page }) => {
  const workflowId = await createWorkflow(page, "Clips in order");
  const area = await canvas(page).boundingBox();
  if (!area) throw new Error("canvas is not visible");
  const at = (x: number, y: number) => ({ x: area.x + x, y: area.y + y });
  await addByDrag(page, "Upload Video", "upload-video-1", at(20, 20));
  await addByDrag(page, "Upload Video", "upload-video-2", at(20, 380));
  await addByDrag(page, "Concat Videos", "concat-videos-1", at(420, 200));
  await connect(page, ["upload-video-1", "video"], ["concat-videos-1", "videos"]);
  await connect(page, ["upload-video-2", "video"], ["concat-videos-1", "videos"]);

  const order = node(page, "concat-videos-1").getByRole("list", { name: "Videos in order" });
  await expect(order.getByRole("listitem")).toHaveText([/upload-video-1/, /upload-video-2/]);
  await order.getByRole("button", { name: "Move Upload Video (upload-video-2) earlier" }).click();
  await expect(order.getByRole("listitem")).toHaveText([/upload-video-2/, /upload-video-1/]);
  await expect(saved(page)).toBeVisible();
  const sources = async () =>
    (await savedGraph(page, workflowId)).edges.map((edge) => (edge as { source?: string }).source);
  await expect.poll(sources).toEqual(["upload-video-2", "upload-video-1"]);

  await page.reload();
  await expect(order.getByRole("listitem")).toHaveText([/upload-video-2/, /upload-video-1/]);
});
