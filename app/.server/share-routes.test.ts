// Route modules are tested from here because every file under app/routes becomes a route.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { action as shareApiAction } from "~/routes/api.runs.$runId.share";
import { loader as fileLoader } from "~/routes/files.$assetId";
import { action as runPageAction, loader as runPageLoader } from "~/routes/runs.$runId";
import { headers as sharePageHeaders, loader as sharePageLoader } from "~/routes/share.$token";
import { loader as sharedFileLoader } from "~/routes/share.$token.files.$assetId";
import { bearerAuth, cookieAuth, jsonRequest, respond, TEST_ORIGIN } from "~test/route-helpers";
import { createTestUser } from "~test/users";
import { createRunWithMedia, PRODUCT_DETAILS } from "~test/share-fixtures";
import { db } from "./db.server";
import { createShareLink, revokeShareLink } from "./models/share.server";

const context = {};
const SHARE_URL = /^http:\/\/localhost\/share\/([A-Za-z0-9_-]{43})$/;

function postShare(runId: string, auth: Record<string, string>) {
  return respond(() => shareApiAction({ request: jsonRequest(`/api/runs/${runId}/share`, "POST", auth), params: { runId }, context }));
}

function deleteShare(runId: string, auth: Record<string, string>) {
  return respond(() => shareApiAction({ request: jsonRequest(`/api/runs/${runId}/share`, "DELETE", auth), params: { runId }, context }));
}

function getSharedFile(token: string, assetId: string, headers: Record<string, string> = {}) {
  return respond(() =>
    sharedFileLoader({ request: new Request(`${TEST_ORIGIN}/share/${token}/files/${assetId}`, { headers }), params: { token, assetId }, context }),
  );
}

async function loadSharePage(token: string) {
  try {
    return await sharePageLoader({ request: new Request(`${TEST_ORIGIN}/share/${token}`), params: { token }, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function loadRunPage(runId: string, headers: Record<string, string>) {
  try {
    return await runPageLoader({ request: new Request(`${TEST_ORIGIN}/runs/${runId}`, { headers }), params: { runId }, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function submitShareForm(runId: string, headers: Record<string, string>, intent: string) {
  const request = new Request(`${TEST_ORIGIN}/runs/${runId}`, { method: "POST", headers, body: new URLSearchParams({ intent }) });
  return runPageAction({ request, params: { runId }, context }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

async function tokenOf(response: Response): Promise<string> {
  const { url } = (await response.json()) as { url: string };
  const match = SHARE_URL.exec(url);
  if (!match) throw new Error(`not a share URL: ${url}`);
  return match[1];
}

describe("POST and DELETE /api/runs/:runId/share", () => {
  it("makes a link (201 {url}), replaces it when asked again, and revokes it (204)", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const auth = await bearerAuth(ownerId);

    const created = await postShare(runId, auth);
    expect(created.status).toBe(201);
    expect(created.headers.get("Cache-Control")).toBe("no-store");
    const first = await tokenOf(created);
    expect(await loadSharePage(first)).not.toBeInstanceOf(Response);

    const replaced = await postShare(runId, auth);
    expect(replaced.status).toBe(201);
    const second = await tokenOf(replaced);
    expect(second).not.toBe(first);
    expect(((await loadSharePage(first)) as Response).status).toBe(404);
    expect(await loadSharePage(second)).not.toBeInstanceOf(Response);

    const revoked = await deleteShare(runId, auth);
    expect(revoked.status).toBe(204);
    expect(((await loadSharePage(second)) as Response).status).toBe(404);
  });

  it("answers 404 for another user's run and changes nothing", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;
    const stranger = await bearerAuth(await createTestUser("stranger"));

    expect((await postShare(runId, stranger)).status).toBe(404);
    expect((await deleteShare(runId, stranger)).status).toBe(404);
    expect((await postShare("no-such-run", stranger)).status).toBe(404);
    expect(await loadSharePage(token)).not.toBeInstanceOf(Response);
  });

  it("needs the owner signed in, from this site", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    expect((await postShare(runId, {})).status).toBe(401);
    const cookie = await cookieAuth(ownerId);
    expect((await postShare(runId, { ...cookie, Origin: "https://evil.example" })).status).toBe(403);
    expect((await postShare(runId, cookie)).status).toBe(201);
    const put = await respond(() => shareApiAction({ request: jsonRequest(`/api/runs/${runId}/share`, "PUT", cookie), params: { runId }, context }));
    expect(put.status).toBe(405);
  });
});

describe("GET /share/:token/files/:assetId", () => {
  it("serves the files the shared run uses, marked private to the link", async () => {
    const { ownerId, runId, assets } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;

    const photo = await getSharedFile(token, assets.photo.id);
    expect(photo.status).toBe(200);
    expect(photo.headers.get("Content-Type")).toBe("image/jpeg");
    expect(photo.headers.get("X-Robots-Tag")).toContain("noindex");
    expect(photo.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(photo.headers.get("Cache-Control")).toBe("private, no-cache");
    const sample = await readFile(join("app/.server/sample-media", "product-photo.jpg"));
    expect(Buffer.from(await photo.arrayBuffer()).equals(sample)).toBe(true);

    expect((await getSharedFile(token, assets.cropped.id)).status).toBe(200);
    // Revalidation while the link lives.
    const etag = photo.headers.get("ETag")!;
    expect((await getSharedFile(token, assets.photo.id, { "If-None-Match": etag })).status).toBe(304);
  });

  it("refuses the owner's other files, and the owner-only route stays closed to visitors", async () => {
    const { ownerId, runId, assets } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;
    const unrelated = await getSharedFile(token, assets.unrelated.id);
    expect(unrelated.status).toBe(404);
    expect(unrelated.headers.get("X-Robots-Tag")).toContain("noindex");

    const direct = await respond(() =>
      fileLoader({ request: new Request(`${TEST_ORIGIN}/files/${assets.photo.id}`), params: { assetId: assets.photo.id }, context }),
    );
    expect(direct.status).toBe(404);
  });

  it("refuses another account's file even when the run's graph names it", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const other = await createRunWithMedia();
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, select: { graphSnapshot: true } });
    const graph = run.graphSnapshot as { nodes: { id: string; data: Record<string, unknown> }[] };
    for (const node of graph.nodes) if (node.id === "product-photo") node.data.assetId = other.assets.photo.id;
    await db.workflowRun.update({ where: { id: runId }, data: { graphSnapshot: graph } });
    const token = (await createShareLink(ownerId, runId))!;

    expect((await getSharedFile(token, other.assets.photo.id)).status).toBe(404);
  });

  it("answers 404 once the link is revoked, and for tokens that were never handed out", async () => {
    const { ownerId, runId, assets } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;
    await revokeShareLink(ownerId, runId);
    expect((await getSharedFile(token, assets.photo.id)).status).toBe(404);
    expect((await getSharedFile("A".repeat(43), assets.photo.id)).status).toBe(404);
    expect((await getSharedFile("short", assets.photo.id)).status).toBe(404);
  });
});

describe("/share/:token", () => {
  it("shows the run with its media through the link, and nothing that leads elsewhere", async () => {
    const { ownerId, runId, assets } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;
    const page = await loadSharePage(token);
    if (page instanceof Response) throw new Error(`expected the page, got ${page.status}`);

    expect(page.data.workflowName).toBe("Product Marketing Kit");
    expect(page.data.realtime).toBeNull();
    const nodes = Object.fromEntries(page.data.run.nodes.map((node) => [node.nodeId, node]));
    expect(nodes["product-details"].outputs).toEqual({ text: PRODUCT_DETAILS });
    expect(nodes["crop-product"].outputs?.output).toMatchObject({ url: `/share/${token}/files/${assets.cropped.id}` });
    expect(page).not.toHaveProperty("owner");
    expect(JSON.stringify(page)).not.toContain(ownerId);
  });

  it("is 404 for a revoked or unknown link, and never indexed or cached", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const token = (await createShareLink(ownerId, runId))!;
    await revokeShareLink(ownerId, runId);
    const revoked = (await loadSharePage(token)) as Response;
    expect(revoked.status).toBe(404);
    expect(revoked.headers.get("X-Robots-Tag")).toContain("noindex");
    expect(((await loadSharePage("not-a-token")) as Response).status).toBe(404);

    const headers = new Headers(sharePageHeaders({} as Parameters<typeof sharePageHeaders>[0]));
    expect(headers.get("X-Robots-Tag")).toContain("noindex");
    expect(headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(headers.get("Cache-Control")).toContain("no-store");
  });
});

describe("/runs/:runId", () => {
  it("shows the owner the run, with the link back to the workflow and the share state", async () => {
    const { ownerId, workflowId, runId } = await createRunWithMedia();
    const page = await loadRunPage(runId, await cookieAuth(ownerId));
    if (page instanceof Response) throw new Error(`expected the page, got ${page.status}`);
    expect(page.owner).toEqual({ workflowId, shared: false });
    expect(page.data.run.status).toBe("completed");
    expect(page.data.graph.nodes.map((node) => node.id)).toContain("crop-product");
  });

  it("is 404 for another user and sends visitors to log in", async () => {
    const { runId } = await createRunWithMedia();
    const stranger = await createTestUser("stranger");
    const forStranger = (await loadRunPage(runId, await cookieAuth(stranger))) as Response;
    expect(forStranger.status).toBe(404);

    const forVisitor = (await loadRunPage(runId, {})) as Response;
    expect(forVisitor.status).toBe(302);
    expect(forVisitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/runs/${runId}`)}`);
  });

  it("lets the owner share and revoke from the page", async () => {
    const { ownerId, runId } = await createRunWithMedia();
    const cookie = await cookieAuth(ownerId);

    const shared = await submitShareForm(runId, cookie, "share");
    if (shared instanceof Response) throw new Error(`expected data, got ${shared.status}`);
    const token = SHARE_URL.exec(shared.shareUrl ?? "")?.[1];
    expect(token).toBeDefined();
    expect(await loadSharePage(token!)).not.toBeInstanceOf(Response);

    expect(await submitShareForm(runId, cookie, "revoke")).toEqual({ shareUrl: null });
    expect(((await loadSharePage(token!)) as Response).status).toBe(404);

    const stranger = await cookieAuth(await createTestUser("stranger"));
    expect(((await submitShareForm(runId, stranger, "share")) as Response).status).toBe(404);
  });
});
