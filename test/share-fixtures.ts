import { randomUUID } from "node:crypto";
import { db } from "~/.server/db.server";
import type { Asset, Prisma } from "~/.server/generated/prisma/client";
import { createUser } from "~/.server/models/user.server";
import { assetUrl } from "~/lib/assets";
import type { MediaValue } from "~workflow/values";

// A finished run with media, written straight to the database (no engine): the account's sample
// workflow as snapshot, the upload node's photo as crop input, a cropped image as crop output,
// and another file of the same owner that the run never touched.

export interface RunWithMedia {
  ownerId: string;
  workflowId: string;
  runId: string;
  assets: {
    /** Named by the snapshot's upload node (and fed to the crop). */
    photo: Asset;
    /** The crop's output. */
    cropped: Asset;
    /** The owner's, but nowhere in the run. */
    unrelated: Asset;
  };
}

export const PRODUCT_DETAILS = "Product: Wireless Bluetooth Headphones.";

export async function createRunWithMedia(): Promise<RunWithMedia> {
  const created = await createUser({ email: `share-${randomUUID()}@example.com`, password: "correct horse battery" });
  if (!created.ok) throw new Error("sign-up failed");
  const ownerId = created.user.id;
  const workflow = await db.workflow.findFirstOrThrow({ where: { ownerId } });
  const photo = await db.asset.findFirstOrThrow({ where: { ownerId, mime: "image/jpeg" } });
  // Same bytes (storage is content-addressed), separate assets: what a crop or an upload makes.
  const copyOf = (originalName: string) =>
    db.asset.create({
      data: { ownerId, originalName, storageKey: photo.storageKey, mime: photo.mime, bytes: photo.bytes, sha256: photo.sha256, width: photo.width, height: photo.height },
    });
  const [cropped, unrelated] = await Promise.all([copyOf("cropped.jpg"), copyOf("unrelated.jpg")]);

  const finishedAt = new Date();
  const startedAt = new Date(finishedAt.getTime() - 1_500);
  const run = await db.workflowRun.create({
    data: {
      ownerId,
      workflowId: workflow.id,
      scope: "selected",
      requestedNodeIds: ["crop-product", "product-details"],
      status: "completed",
      graphSnapshot: workflow.graph as Prisma.InputJsonValue,
      startedAt,
      finishedAt,
      nodeExecutions: {
        createMany: {
          data: [
            { workflowId: workflow.id, nodeId: "product-photo", nodeType: "upload-image", status: "success", outputs: json({ image: mediaOf(photo) }), durationMs: 3 },
            {
              workflowId: workflow.id,
              nodeId: "crop-product",
              nodeType: "crop-image",
              status: "success",
              inputs: json({ image_url: mediaOf(photo), x_percent: 10, y_percent: 10, width_percent: 80, height_percent: 80 }),
              outputs: json({ output: mediaOf(cropped) }),
              startedAt,
              finishedAt,
              durationMs: 1_200,
            },
            { workflowId: workflow.id, nodeId: "product-details", nodeType: "text", status: "success", outputs: json({ text: PRODUCT_DETAILS }), durationMs: 1 },
          ],
        },
      },
    },
  });
  return { ownerId, workflowId: workflow.id, runId: run.id, assets: { photo, cropped, unrelated } };
}

export function mediaOf(asset: Asset): MediaValue {
  return { kind: "image", assetId: asset.id, url: assetUrl(asset.id), mime: asset.mime, sha256: asset.sha256 };
}

function json(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}
