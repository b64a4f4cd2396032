import { randomUUID } from "node:crypto";
import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { AbortTaskRunError } from "@trigger.dev/sdk";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db.server";
import { loadTaskRunFunction, type TaskRunFunction } from "./test-support";

// What a task run says when its Trigger.dev project lacks a variable it needs: at once, without
// retries, naming the variable. The tests' environment has a database and no S3 bucket.

let cropImage: TaskRunFunction;

beforeAll(async () => {
  cropImage = await loadTaskRunFunction("crop-image", () => import("./crop-image"));
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

const payload = {
  runId: "run-1",
  ownerId: "owner-1",
  nodeId: "crop",
  params: { x_percent: 0, y_percent: 0, width_percent: 100, height_percent: 100 },
  inputs: {},
};

function runIn(type: "DEVELOPMENT" | "PRODUCTION" | "STAGING", task: TaskRunFunction = cropImage) {
  return runInMockTaskContext(({ ctx }) => task(payload, { ctx, signal: new AbortController().signal }), {
    ctx: { environment: { type, slug: type === "DEVELOPMENT" ? "dev" : type.toLowerCase() } },
  });
}

describe("a task's environment", () => {
  it("fails a deployed worker's run at once when S3_BUCKET is not set, before touching storage", async () => {
    const assetsBefore = await db.asset.count();

    const failure = runIn("PRODUCTION");

    await expect(failure).rejects.toThrow(AbortTaskRunError);
    await expect(failure).rejects.toThrow(/^S3_BUCKET is not set in the Trigger.dev project's production environment: deployed workers cannot reach the app's disk/);
    expect(await db.asset.count()).toBe(assetsBefore);
  });

  it("lets `trigger dev` runs use the local disk, as the app does", async () => {
    // Past the environment check: the node itself fails, on the missing image.
    await expect(runIn("DEVELOPMENT")).rejects.toMatchObject({ name: "NodeError" });
  });

  it("fails at once, naming DATABASE_URL, when the project has no database", async () => {
    vi.resetModules();
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("S3_BUCKET", `bucket-${randomUUID()}`);
    // A fresh copy of the task (and of the env module it reads) sees the environment above.
    const withoutDatabase = await loadTaskRunFunction("crop-image", () => import("./crop-image"));

    const failure = runIn("STAGING", withoutDatabase);

    await expect(failure).rejects.toThrow(AbortTaskRunError);
    await expect(failure).rejects.toThrow(/^DATABASE_URL is not set in the Trigger.dev project's staging environment/);
  });
});
