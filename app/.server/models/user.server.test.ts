import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db.server";
import { getStorage } from "~/.server/storage/storage.server";
import { SAMPLE_WORKFLOW_NAME, sampleWorkflowGraph } from "~workflow/sample-workflow";
import { createUser, verifyLogin } from "./user.server";

const uniqueEmail = () => `user-${randomUUID()}@example.com`;
const PASSWORD = "correct horse battery";

describe("createUser", () => {
  it("stores a scrypt hash, never the password, and gives the account the sample workflow", async () => {
    const email = uniqueEmail();
    const result = await createUser({ email, password: PASSWORD });
    if (!result.ok) throw new Error(`sign-up refused: ${result.reason}`);

    const stored = await db.user.findUniqueOrThrow({ where: { id: result.user.id } });
    expect(stored.email).toBe(email);
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain(PASSWORD);
    expect(result.user).not.toHaveProperty("passwordHash");

    const workflows = await db.workflow.findMany({ where: { ownerId: result.user.id } });
    expect(workflows).toHaveLength(1);
    expect(workflows[0].name).toBe(SAMPLE_WORKFLOW_NAME);
    const [image, video] = await Promise.all([
      db.asset.findFirstOrThrow({ where: { ownerId: result.user.id, mime: "image/jpeg" } }),
      db.asset.findFirstOrThrow({ where: { ownerId: result.user.id, mime: "video/mp4" } }),
    ]);
    expect(workflows[0].graph).toEqual(sampleWorkflowGraph({ imageAssetId: image.id, videoAssetId: video.id }));
  });

  it("gives the account the sample photo and video, probed, with their bytes stored once for everyone", async () => {
    const first = await createUser({ email: uniqueEmail(), password: PASSWORD });
    const second = await createUser({ email: uniqueEmail(), password: PASSWORD });
    if (!first.ok || !second.ok) throw new Error("sign-up refused");

    const assetsOf = (ownerId: string) => db.asset.findMany({ where: { ownerId }, orderBy: { mime: "asc" } });
    const [mine, theirs] = await Promise.all([assetsOf(first.user.id), assetsOf(second.user.id)]);
    expect(mine).toMatchObject([
      { mime: "image/jpeg", width: 640, height: 480, durationSeconds: null, originalName: "product-photo.jpg" },
      { mime: "video/mp4", width: 480, height: 270, originalName: "demo-video.mp4" },
    ]);
    expect(mine[1].durationSeconds).toBeCloseTo(4, 1);
    expect(mine.reduce((total, asset) => total + asset.bytes, 0)).toBeLessThan(2_000_000);

    // Each account has its own rows, naming the same stored bytes.
    expect(theirs.map((asset) => asset.id)).not.toEqual(mine.map((asset) => asset.id));
    expect(theirs.map((asset) => asset.storageKey)).toEqual(mine.map((asset) => asset.storageKey));
    for (const asset of mine) expect(await getStorage().stat(asset.storageKey)).toEqual({ size: asset.bytes });
  });

  it("normalises the email", async () => {
    const email = uniqueEmail();
    const result = await createUser({ email: `  ${email.toUpperCase()} `, password: PASSWORD });
    expect(result.ok && result.user.email).toBe(email);
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    const email = uniqueEmail();
    expect((await createUser({ email, password: PASSWORD })).ok).toBe(true);
    expect(await createUser({ email: email.toUpperCase(), password: "another password" })).toEqual({
      ok: false,
      reason: "email_taken",
    });
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("lets exactly one of two simultaneous sign-ups win, leaving no orphan workflow", async () => {
    const email = uniqueEmail();
    const results = await Promise.all([
      createUser({ email, password: PASSWORD }),
      createUser({ email, password: PASSWORD }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: "email_taken" }]);
    expect(await db.workflow.count({ where: { owner: { email } } })).toBe(1);
    expect(await db.asset.count({ where: { owner: { email } } })).toBe(2);
  });
});

describe("verifyLogin", () => {
  it("returns the user for the right password, however the email is typed", async () => {
    const email = uniqueEmail();
    const created = await createUser({ email, password: PASSWORD });
    if (!created.ok) throw new Error("sign-up refused");

    expect(await verifyLogin(email, PASSWORD)).toEqual(created.user);
    expect((await verifyLogin(` ${email.toUpperCase()}`, PASSWORD))?.id).toBe(created.user.id);
  });

  it("returns null for a wrong password", async () => {
    const email = uniqueEmail();
    await createUser({ email, password: PASSWORD });
    expect(await verifyLogin(email, "wrong password")).toBeNull();
  });

  it("returns null for an unknown email", async () => {
    expect(await verifyLogin(uniqueEmail(), PASSWORD)).toBeNull();
  });
});
