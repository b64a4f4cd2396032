import { describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import type { Graph } from "~workflow/graph";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import { createTestUser } from "~test/users";
import {
  createWorkflow,
  createWorkflowFromTemplate,
  deleteWorkflow,
  duplicateWorkflow,
  getWorkflow,
  listWorkflows,
  renameWorkflow,
  updateWorkflow,
} from "./workflow.server";

const EMPTY: Graph = { nodes: [], edges: [] };

/** Moves a workflow's last change into the past, so ordering by it does not depend on timing. */
async function backdate(id: string, minutes: number) {
  const updatedAt = new Date(Date.now() - minutes * 60_000);
  await db.workflow.update({ where: { id }, data: { updatedAt } });
  return updatedAt;
}

describe("workflows of an owner", () => {
  it("lists only the owner's workflows, most recently updated first, with node counts", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const older = await createWorkflow(owner, { name: "Older", graph: sampleWorkflowGraph() });
    const newer = await createWorkflow(owner, { name: "Newer", graph: EMPTY });
    await createWorkflow(other, { name: "Someone else's", graph: EMPTY });
    const olderUpdatedAt = await backdate(older.id, 2);
    const newerUpdatedAt = await backdate(newer.id, 1);

    expect(await listWorkflows(owner)).toMatchObject([
      { id: newer.id, name: "Newer", nodeCount: 0, createdAt: newer.createdAt, updatedAt: newerUpdatedAt, lastRun: null },
      { id: older.id, name: "Older", nodeCount: 9, createdAt: older.createdAt, updatedAt: olderUpdatedAt, lastRun: null },
    ]);

    const renamed = await updateWorkflow(owner, older.id, { name: "Older, edited", version: 1 });
    expect(renamed.status).toBe("ok");
    expect((await listWorkflows(owner)).map((workflow) => workflow.name)).toEqual(["Older, edited", "Newer"]);
  });

  it("gets a workflow with its graph for its owner, and null for anyone else or an unknown id", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const graph = sampleWorkflowGraph();
    const created = await createWorkflow(owner, { name: "Mine", graph });

    expect(await getWorkflow(owner, created.id)).toMatchObject({ id: created.id, name: "Mine", graph, version: 1 });
    expect(await getWorkflow(other, created.id)).toBeNull();
    expect(await getWorkflow(owner, "no-such-id")).toBeNull();
  });
});

describe("updateWorkflow", () => {
  it("saves changes made to the current version and increments it", async () => {
    const owner = await createTestUser();
    const created = await createWorkflow(owner, { name: "Draft", graph: EMPTY });
    const before = await backdate(created.id, 1);
    const graph = sampleWorkflowGraph();

    const result = await updateWorkflow(owner, created.id, { graph, version: 1 });
    expect(result).toMatchObject({ status: "ok", workflow: { name: "Draft", graph, version: 2 } });
    if (result.status !== "ok") return;
    expect(result.workflow.updatedAt.getTime()).toBeGreaterThan(before.getTime());
    expect(await getWorkflow(owner, created.id)).toMatchObject({ graph, version: 2 });
  });

  it("refuses changes made to an older version, naming the current one, and keeps the data", async () => {
    const owner = await createTestUser();
    const created = await createWorkflow(owner, { name: "Shared", graph: EMPTY });
    await updateWorkflow(owner, created.id, { name: "First save", version: 1 });

    expect(await updateWorkflow(owner, created.id, { name: "Second save", version: 1 })).toEqual({
      status: "conflict",
      currentVersion: 2,
    });
    expect(await getWorkflow(owner, created.id)).toMatchObject({ name: "First save", version: 2 });
  });

  it("lets exactly one of two saves from the same version win", async () => {
    const owner = await createTestUser();
    const created = await createWorkflow(owner, { name: "Race", graph: EMPTY });
    const results = await Promise.all(
      ["A", "B", "C"].map((name) => updateWorkflow(owner, created.id, { name, version: 1 })),
    );
    expect(results.filter((result) => result.status === "ok")).toHaveLength(1);
    expect(results.filter((result) => result.status === "conflict")).toHaveLength(2);
    expect((await getWorkflow(owner, created.id))?.version).toBe(2);
  });

  it("answers not_found for an unknown id and for another owner's workflow, changing nothing", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const created = await createWorkflow(owner, { name: "Private", graph: EMPTY });

    expect(await updateWorkflow(owner, "no-such-id", { name: "x", version: 1 })).toEqual({ status: "not_found" });
    expect(await updateWorkflow(other, created.id, { name: "Taken over", version: 1 })).toEqual({ status: "not_found" });
    expect(await getWorkflow(owner, created.id)).toMatchObject({ name: "Private", version: 1 });
  });
});

describe("renameWorkflow", () => {
  it("renames whatever the version and counts as a save; not for another owner", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const created = await createWorkflow(owner, { name: "Before", graph: EMPTY });

    expect(await renameWorkflow(owner, created.id, "After")).toMatchObject({ name: "After", version: 2 });
    expect(await renameWorkflow(other, created.id, "Stolen")).toBeNull();
    expect(await getWorkflow(owner, created.id)).toMatchObject({ name: "After", version: 2 });
  });
});

describe("duplicateWorkflow", () => {
  it("copies the graph under the name '<name> (copy)' as a new workflow at version 1", async () => {
    const owner = await createTestUser();
    const graph = sampleWorkflowGraph();
    const original = await createWorkflow(owner, { name: "Kit", graph });
    await updateWorkflow(owner, original.id, { graph, version: 1 });

    const copy = await duplicateWorkflow(owner, original.id);
    expect(copy).toMatchObject({ name: "Kit (copy)", graph, version: 1 });
    expect(copy?.id).not.toBe(original.id);
    expect(await listWorkflows(owner)).toHaveLength(2);
  });

  it("keeps a long name within the limit", async () => {
    const owner = await createTestUser();
    const original = await createWorkflow(owner, { name: "n".repeat(120), graph: EMPTY });
    const copy = await duplicateWorkflow(owner, original.id);
    expect(copy?.name).toBe(`${"n".repeat(113)} (copy)`);
  });

  it("answers null for another owner's workflow and copies nothing", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const original = await createWorkflow(owner, { name: "Kit", graph: EMPTY });

    expect(await duplicateWorkflow(other, original.id)).toBeNull();
    expect(await listWorkflows(other)).toEqual([]);
  });
});

describe("deleteWorkflow", () => {
  it("deletes the owner's workflow once, and never another owner's", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const created = await createWorkflow(owner, { name: "Doomed", graph: EMPTY });

    expect(await deleteWorkflow(other, created.id)).toBe(false);
    expect(await getWorkflow(owner, created.id)).not.toBeNull();
    expect(await deleteWorkflow(owner, created.id)).toBe(true);
    expect(await getWorkflow(owner, created.id)).toBeNull();
    expect(await deleteWorkflow(owner, created.id)).toBe(false);
  });
});

describe("createWorkflowFromTemplate", () => {
  it("makes the owner a copy naming their own records of the sample media, and nothing for an unknown template", async () => {
    const owner = await createTestUser();
    const copy = await createWorkflowFromTemplate(owner, "video-highlights");
    expect(copy).toMatchObject({ name: "Video highlights", version: 1 });
    const upload = copy?.graph.nodes.find((node) => node.type === "upload-video");
    const asset = await db.asset.findUnique({ where: { id: String(upload?.data.assetId) } });
    expect(asset).toMatchObject({ ownerId: owner, originalName: "demo-video.mp4" });

    // A second copy is a new workflow, reusing the owner's record of the same file.
    const again = await createWorkflowFromTemplate(owner, "video-highlights");
    expect(again?.id).not.toBe(copy?.id);
    expect(again?.graph).toEqual(copy?.graph);
    expect((await listWorkflows(owner)).map((workflow) => workflow.name)).toEqual(["Video highlights", "Video highlights"]);

    expect(await createWorkflowFromTemplate(owner, "no-such-template")).toBeNull();
    expect(await listWorkflows(owner)).toHaveLength(2);
  });
});

describe("listWorkflows' previews", () => {
  async function addRun(ownerId: string, workflowId: string, status: "completed" | "failed", minutesAgo: number, outputs: object[] = []) {
    const run = await db.workflowRun.create({
      data: {
        workflowId,
        ownerId,
        scope: "full",
        status,
        graphSnapshot: {},
        createdAt: new Date(Date.now() - minutesAgo * 60_000),
      },
    });
    for (const [index, output] of outputs.entries()) {
      await db.nodeExecution.create({
        data: {
          runId: run.id,
          workflowId,
          nodeId: `node-${index}`,
          nodeType: "crop-image",
          status: "success",
          outputs: output,
          finishedAt: new Date(Date.now() - minutesAgo * 60_000 + index * 1000),
        },
      });
    }
    return run;
  }

  const image = (url: string) => ({ output: { kind: "image", url, assetId: "a", mime: "image/png" } });

  it("gives each workflow its last run's status and time, the newest image that run made, and its graph's sketch", async () => {
    const owner = await createTestUser();
    const graph = sampleWorkflowGraph();
    const ran = await createWorkflow(owner, { name: "Ran", graph });
    const failed = await createWorkflow(owner, { name: "Failed", graph: EMPTY });
    const never = await createWorkflow(owner, { name: "Never ran", graph });
    await backdate(ran.id, 3);
    await backdate(failed.id, 2);
    await backdate(never.id, 1);
    // An older run's image is not the last run's.
    await addRun(owner, ran.id, "completed", 10, [image("/old.png")]);
    const last = await addRun(owner, ran.id, "completed", 5, [image("/first.png"), { output: "some text" }, image("/newest.png")]);
    await addRun(owner, failed.id, "failed", 4);

    const [neverRow, failedRow, ranRow] = await listWorkflows(owner);
    expect(ranRow).toMatchObject({ name: "Ran", lastRun: { status: "completed", createdAt: last.createdAt }, previewImageUrl: "/newest.png" });
    expect(failedRow).toMatchObject({ name: "Failed", lastRun: { status: "failed" }, previewImageUrl: null, sketch: { nodes: [], edges: [] } });
    expect(neverRow).toMatchObject({ name: "Never ran", lastRun: null, previewImageUrl: null });
    expect(neverRow.sketch.nodes).toEqual(graph.nodes.map((node) => ({ id: node.id, x: node.position.x, y: node.position.y })));
    expect(neverRow.sketch.edges).toEqual(graph.edges.map((edge) => ({ source: edge.source, target: edge.target })));
  });
});
