import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import xyflowStyles from "@xyflow/react/dist/style.css?url";
import { z } from "zod";
import { requireUserId } from "~/.server/auth.server";
import { readFormData } from "~/.server/http.server";
import { RunIdParamsSchema } from "~/.server/models/run.server";
import { createShareLink, getRunView, revokeShareLink, runPageRealtime, shareUrl } from "~/.server/models/share.server";
import flowStyles from "~/components/flow/flow.css?url";
import { RunPage } from "~/components/run-page/run-page";
import { OWNER_FILES_PATH } from "~/lib/assets";
import type { ShareActionData } from "~/components/run-page/share-controls";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: xyflowStyles },
  { rel: "stylesheet", href: flowStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Run of ${data.data.workflowName} · Weft` : "Run not found · Weft" },
];

// The page carries a realtime token while the run goes.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

function runNotFound() {
  return new Response("Run not found", { status: 404, statusText: "Not Found" });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const parsed = RunIdParamsSchema.safeParse(params);
  // Another user's run is answered exactly like a missing one.
  const view = parsed.success ? await getRunView(userId, parsed.data.runId) : null;
  if (!view) throw runNotFound();
  return {
    data: {
      run: view.run,
      graph: view.graph,
      workflowName: view.workflow.name,
      realtime: await runPageRealtime(request, userId, view.run),
      filesPath: OWNER_FILES_PATH,
      now: new Date(),
    },
    owner: { workflowId: view.workflow.id, shared: view.shared },
  };
}

const ShareIntentSchema = z.enum(["share", "revoke"]);

/** The page's share controls: make a new link (replacing any other) or revoke it. */
export async function action({ request, params }: ActionFunctionArgs): Promise<ShareActionData> {
  const userId = await requireUserId(request);
  const parsed = RunIdParamsSchema.safeParse(params);
  if (!parsed.success) throw runNotFound();
  const intent = ShareIntentSchema.safeParse((await readFormData(request)).get("intent"));
  if (!intent.success) throw new Response('Send intent "share" or "revoke".', { status: 400, statusText: "Bad Request" });
  if (intent.data === "revoke") {
    if (!(await revokeShareLink(userId, parsed.data.runId))) throw runNotFound();
    return { shareUrl: null };
  }
  const token = await createShareLink(userId, parsed.data.runId);
  if (!token) throw runNotFound();
  return { shareUrl: shareUrl(request, token) };
}

export default function RunRoute() {
  const { data, owner } = useLoaderData<typeof loader>();
  return <RunPage data={data} owner={owner} />;
}
