import { z } from "zod";
import { hashToken, randomToken } from "~/.server/auth.server";
import { db } from "~/.server/db.server";
import { shareBinding } from "~/.server/realtime/authorize.server";
import { shareLinkChanged } from "~/.server/realtime/share-events.server";
import { runRealtimeAccess } from "~/.server/run-realtime.server";
import { assetUrl } from "~/lib/assets";
import { GraphSchema, type Graph } from "~workflow/graph";
import { getNodeDefinition } from "~workflow/nodes/registry";
import { isFinishedRunStatus, type RunStatus } from "~workflow/run-progress";
import { isMediaValue, type NodeInputs, type NodeOutputs, type PortValue } from "~workflow/values";
import { getRunForOwner, type RunDetail } from "./run.server";

// A run's page, for its owner (/runs/:runId) and for whoever holds its share link
// (/share/:token). A share token is shown once, when made; only its SHA-256 is stored, in
// WorkflowRun.shareTokenHash, so the table alone opens nothing. One live link per run: making
// another replaces it, revoking clears it.

/** What `randomToken()` makes: 32 random bytes in base64url. Anything else names no link, unread. */
export const ShareParamsSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/**
 * On every answer under /share/: kept out of search engines, and the page's URL (which holds the
 * token) is never sent on as a Referer.
 */
export const SHARE_RESPONSE_HEADERS = { "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer" } as const;

/** Everything the run page shows, as its owner sees it. */
export interface RunView {
  run: RunDetail;
  /** The graph as it was when the run was requested. */
  graph: Graph;
  workflow: { id: string; name: string };
  /** Whether a share link is live; its URL cannot be shown again, only replaced or revoked. */
  shared: boolean;
}

/**
 * The same page for a visitor, its media through the share link. The ids it carries (run,
 * workflow, retried run) open nothing without the owner's session; the page links to none.
 */
export interface SharedRunView {
  run: RunDetail;
  graph: Graph;
  workflow: { name: string };
  /** For the server to follow the run live on the visitor's behalf; not for the page. */
  ownerId: string;
}

export async function getRunView(ownerId: string, runId: string): Promise<RunView | null> {
  const [row, run] = await Promise.all([
    db.workflowRun.findFirst({
      where: { id: runId, ownerId },
      select: { graphSnapshot: true, shareTokenHash: true, workflow: { select: { id: true, name: true } } },
    }),
    getRunForOwner(ownerId, runId),
  ]);
  if (!row || !run) return null;
  return {
    run,
    graph: GraphSchema.parse(row.graphSnapshot),
    workflow: row.workflow,
    shared: row.shareTokenHash !== null,
  };
}

/**
 * Makes a new share link for the owner's run, replacing any earlier one, and returns its token
 * (null when the owner has no such run).
 */
export async function createShareLink(ownerId: string, runId: string): Promise<string | null> {
  const token = randomToken();
  const { count } = await db.workflowRun.updateMany({
    where: { id: runId, ownerId },
    data: { shareTokenHash: hashToken(token) },
  });
  // The link it replaces is dead: so are its visitors' open realtime requests.
  if (count === 1) shareLinkChanged(runId);
  return count === 1 ? token : null;
}

/** Stops the run's share link from working; false when the owner has no such run. */
export async function revokeShareLink(ownerId: string, runId: string): Promise<boolean> {
  const { count } = await db.workflowRun.updateMany({ where: { id: runId, ownerId }, data: { shareTokenHash: null } });
  if (count === 1) shareLinkChanged(runId);
  return count === 1;
}

export function sharePath(token: string): string {
  return `/share/${token}`;
}

/** The link as the owner hands it out, at the origin the owner reached the app by. */
export function shareUrl(request: Request, token: string): string {
  return new URL(sharePath(token), request.url).href;
}

/** Where a share link serves the files of its run (app/routes/share.$token.files.$assetId.ts). */
export function sharedFilesPath(token: string): string {
  return `${sharePath(token)}/files`;
}

export function sharedFilePath(token: string, assetId: string): string {
  return assetUrl(assetId, sharedFilesPath(token));
}

async function findSharedRun(token: string) {
  return db.workflowRun.findUnique({ where: { shareTokenHash: hashToken(token) }, select: { id: true, ownerId: true } });
}

/** The run shared under this token, as a visitor sees it; null for an unknown or revoked token. */
export async function getSharedRunView(token: string): Promise<SharedRunView | null> {
  const shared = await findSharedRun(token);
  const view = shared ? await getRunView(shared.ownerId, shared.id) : null;
  if (!shared || !view) return null;
  const { run } = view;
  const toShareUrl = (value: PortValue): PortValue =>
    isMediaValue(value) ? { ...value, url: sharedFilePath(token, value.assetId) } : value;
  return {
    run: {
      ...run,
      nodes: run.nodes.map((node) => ({
        ...node,
        inputs: node.inputs === null ? null : mapInputs(node.inputs, toShareUrl),
        outputs: node.outputs === null ? null : mapOutputs(node.outputs, toShareUrl),
        // The producing run is not shared with the visitor: the page says "cached" without a link.
        cachedFromRunId: null,
      })),
    },
    graph: view.graph,
    workflow: { name: view.workflow.name },
    ownerId: shared.ownerId,
  };
}

/**
 * The owner of the run shared under `token` when that run uses the asset, else null. "Uses"
 * means what the page shows: a file an upload node of its graph names, or a media value among
 * its nodes' inputs and outputs. Whether the asset is that owner's is the caller's check.
 */
export async function sharedRunOwnerUsingAsset(token: string, assetId: string): Promise<string | null> {
  const run = await db.workflowRun.findUnique({
    where: { shareTokenHash: hashToken(token) },
    select: { ownerId: true, graphSnapshot: true, nodeExecutions: { select: { inputs: true, outputs: true } } },
  });
  if (!run) return null;
  // Written only from NodeInputs and NodeOutputs (run-store.server.ts).
  const nodes = run.nodeExecutions as { inputs: NodeInputs | null; outputs: NodeOutputs | null }[];
  return runAssetIds(GraphSchema.parse(run.graphSnapshot), nodes).has(assetId) ? run.ownerId : null;
}

/** Every asset a run's page can show: files its graph's nodes name, and media its nodes took or made. */
export function runAssetIds(
  graph: Graph,
  nodes: readonly { inputs: NodeInputs | null; outputs: NodeOutputs | null }[],
): Set<string> {
  const ids = new Set<string>();
  for (const node of graph.nodes) {
    const params = getNodeDefinition(node.type)?.params.safeParse(node.data);
    if (params?.success && "assetId" in params.data && typeof params.data.assetId === "string") ids.add(params.data.assetId);
  }
  const collect = (value: PortValue) => {
    if (isMediaValue(value)) ids.add(value.assetId);
    return value;
  };
  for (const node of nodes) {
    if (node.inputs) mapInputs(node.inputs, collect);
    if (node.outputs) mapOutputs(node.outputs, collect);
  }
  return ids;
}

function mapOutputs(outputs: NodeOutputs, map: (value: PortValue) => PortValue): NodeOutputs {
  return Object.fromEntries(Object.entries(outputs).map(([port, value]) => [port, map(value)]));
}

function mapInputs(inputs: NodeInputs, map: (value: PortValue) => PortValue): NodeInputs {
  return Object.fromEntries(
    Object.entries(inputs).map(([port, value]) => [
      port,
      value === undefined ? undefined : Array.isArray(value) ? value.map(map) : map(value),
    ]),
  );
}

/**
 * What the run page needs to follow a running run (`useRealtimeRun`), with a fresh token; null
 * when it has ended or was never handed to an engine. The token only reads this run's progress,
 * so the share page gets one too.
 */
export async function runPageRealtime(
  request: Request,
  ownerId: string,
  run: { id: string; status: RunStatus },
  options: { shareToken?: string } = {},
): Promise<{ runId: string; accessToken: string; baseURL: string } | null> {
  if (isFinishedRunStatus(run.status)) return null;
  const share = options.shareToken === undefined ? undefined : shareBinding(hashToken(options.shareToken));
  const access = await runRealtimeAccess(ownerId, run.id, undefined, { share });
  if (access.status !== "ok") return null;
  return {
    runId: access.engineRunId,
    accessToken: access.accessToken,
    baseURL: access.realtimeBaseUrl ?? new URL(request.url).origin,
  };
}
