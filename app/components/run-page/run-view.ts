import type { NodeRunView } from "~/components/flow/run-overlay";
import type { Graph } from "~workflow/graph";
import { getNodeDefinition } from "~workflow/nodes/registry";
import type { RealtimeAccess, RunDetail } from "~/lib/runs/run-schemas";

/**
 * What the run page shows, as its loaders hand it over: the owner's page and the share page
 * give the same shape (on the share page, media URLs already point through the share link).
 */
export interface RunPageData {
  run: RunDetail;
  /** The graph as it was when the run was requested. */
  graph: Graph;
  workflowName: string;
  /** To follow the run live; null once it has ended. */
  realtime: RealtimeAccess | null;
  /** Where the page's files are served: the owner's route, or the share link's. */
  filesPath: string;
  /** The server's clock when the page was made, so "5 minutes ago" renders the same on both sides. */
  now: Date;
}

/**
 * The views a visitor of a share link may see. Live progress previews a finished media node by
 * its file's owner-only URL, which a visitor cannot open; the node shows its output once the
 * page's data (with URLs through the link) has it instead.
 */
export function withoutMediaPreviews(
  views: Readonly<Record<string, NodeRunView>>,
  nodes: readonly { nodeId: string; nodeType: string }[],
): Record<string, NodeRunView> {
  const shown: Record<string, NodeRunView> = { ...views };
  for (const node of nodes) {
    const view = shown[node.nodeId];
    const outputType = getNodeDefinition(node.nodeType)?.outputs[0]?.type;
    if (view?.preview && outputType !== "text") shown[node.nodeId] = { ...view, preview: null };
  }
  return shown;
}

/** A visitor of a shared run may not see the other runs its cached nodes came from: "cached", no link. */
export function withoutCacheLinks(views: Readonly<Record<string, NodeRunView>>): Record<string, NodeRunView> {
  const shown: Record<string, NodeRunView> = {};
  for (const [nodeId, view] of Object.entries(views)) shown[nodeId] = view.cachedFromRunId === null ? view : { ...view, cachedFromRunId: null };
  return shown;
}
