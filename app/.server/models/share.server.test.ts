import { describe, expect, it } from "vitest";
import { mediaOf, createRunWithMedia, PRODUCT_DETAILS } from "~test/share-fixtures";
import { createTestUser } from "~test/users";
import { hashToken } from "../auth.server";
import { db } from "../db.server";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import {
  createShareLink,
  getRunView,
  getSharedRunView,
  revokeShareLink,
  runAssetIds,
  sharedFilePath,
  sharedRunOwnerUsingAsset,
  ShareParamsSchema,
} from "./share.server";

async function storedHash(runId: string) {
  return (await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, select: { shareTokenHash: true } })).shareTokenHash;
}

describe("share links", () => {
  it("stores only the token's hash, and the token opens the run", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const token = await createShareLink(ownerId, runId);
    expect(token).not.toBeNull();
    // 32 random bytes: the route's parameter check accepts exactly what is handed out.
    expect(ShareParamsSchema.safeParse({ token }).success).toBe(true);
    const stored = await storedHash(runId);
    expect(stored).toBe(hashToken(token!));
    expect(stored).not.toContain(token!);

    const view = await getSharedRunView(token!);
    expect(view?.run.id).toBe(runId);
    expect(view?.workflow).toEqual({ name: "Product Marketing Kit" });
    expect((await getRunView(ownerId, runId))?.shared).toBe(true);
  });

  it("replaces the earlier link when another is made", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const first = await createShareLink(ownerId, runId);
    const second = await createShareLink(ownerId, runId);
    expect(second).not.toBe(first);
    expect(await getSharedRunView(first!)).toBeNull();
    expect((await getSharedRunView(second!))?.run.id).toBe(runId);
  });

  it("stops working once revoked", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const token = await createShareLink(ownerId, runId);
    expect(await revokeShareLink(ownerId, runId)).toBe(true);
    expect(await storedHash(runId)).toBeNull();
    expect(await getSharedRunView(token!)).toBeNull();
    expect((await getRunView(ownerId, runId))?.shared).toBe(false);
  });

  it("cannot be made or revoked by anyone but the owner", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const stranger = await createTestUser("stranger");
    const token = await createShareLink(ownerId, runId);
    expect(await createShareLink(stranger, runId)).toBeNull();
    expect(await revokeShareLink(stranger, runId)).toBe(false);
    expect(await getRunView(stranger, runId)).toBeNull();
    // The owner's link still works: the stranger changed nothing.
    expect((await getSharedRunView(token!))?.run.id).toBe(runId);
  });

  it("shows a cached node as cached without the link to the run it came from", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    await db.nodeExecution.update({
      where: { runId_nodeId: { runId, nodeId: "crop-product" } },
      data: { cachedFromExecutionId: "exec-elsewhere", cachedFromRunId: "run-elsewhere" },
    });
    const token = await createShareLink(ownerId, runId);

    const shared = (await getSharedRunView(token!))?.run.nodes.find((entry) => entry.nodeId === "crop-product");
    expect(shared).toMatchObject({ cachedFromExecutionId: "exec-elsewhere", cachedFromRunId: null });
    const owned = (await getRunView(ownerId, runId))?.run.nodes.find((entry) => entry.nodeId === "crop-product");
    expect(owned).toMatchObject({ cachedFromRunId: "run-elsewhere" });
  });

  it("names no run for an unknown token", async () => {
    expect(await getSharedRunView("x".repeat(43))).toBeNull();
  });
});

describe("the shared view", () => {
  it("points every media value through the share link and leaves text alone", async () => {
    const { ownerId, runId, assets } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;
    const view = (await getSharedRunView(token))!;
    const nodes = Object.fromEntries(view.run.nodes.map((node) => [node.nodeId, node]));

    expect(nodes["crop-product"].inputs?.image_url).toEqual({ ...mediaOf(assets.photo), url: sharedFilePath(token, assets.photo.id) });
    expect(nodes["crop-product"].inputs?.x_percent).toBe(10);
    expect(nodes["crop-product"].outputs?.output).toEqual({ ...mediaOf(assets.cropped), url: sharedFilePath(token, assets.cropped.id) });
    expect(nodes["product-details"].outputs).toEqual({ text: PRODUCT_DETAILS });
    expect(JSON.stringify(view.run)).not.toContain(`"url":"/files/`);
  });
});

describe("assets a shared run opens", () => {
  it("are the files its graph names and the media its nodes took or made", async () => {
    const { ownerId, runId, assets } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;
    expect(await sharedRunOwnerUsingAsset(token, assets.photo.id)).toBe(ownerId);
    expect(await sharedRunOwnerUsingAsset(token, assets.cropped.id)).toBe(ownerId);
    expect(await sharedRunOwnerUsingAsset(token, assets.unrelated.id)).toBeNull();
    await revokeShareLink(ownerId, runId);
    expect(await sharedRunOwnerUsingAsset(token, assets.photo.id)).toBeNull();
  });

  it("include media inside lists (ports with many connections) and videos of upload nodes", () => {
    const graph = sampleWorkflowGraph({ imageAssetId: "photo", videoAssetId: "video" });
    const image = (assetId: string) => ({ kind: "image" as const, assetId, url: "", mime: "image/png", sha256: "0" });
    const ids = runAssetIds(graph, [
      { inputs: { images: [image("crop-out"), image("frame-out")], user_message: "hi" }, outputs: { output: "text" } },
      { inputs: null, outputs: null },
    ]);
    expect([...ids].sort()).toEqual(["crop-out", "frame-out", "photo", "video"]);
  });
});
