import { redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import xyflowStyles from "@xyflow/react/dist/style.css?url";
import { requireUserId } from "~/.server/auth.server";
import { listRuns } from "~/.server/models/run.server";
import { getUserById } from "~/.server/models/user.server";
import { getWorkflow } from "~/.server/models/workflow.server";
import { WorkflowEditor } from "~/components/editor/workflow-editor";
import flowStyles from "~/components/flow/flow.css?url";
import { WorkflowIdParamsSchema } from "~/lib/workflow-fields";

/** Runs in the History sidebar's first page; older ones load as it scrolls. */
const HISTORY_PAGE_SIZE = 20;

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: xyflowStyles },
  { rel: "stylesheet", href: flowStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.workflow.name} · Weft` : "Workflow not found · Weft" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const parsed = WorkflowIdParamsSchema.safeParse(params);
  const [user, workflow, runs] = await Promise.all([
    getUserById(userId),
    parsed.success ? getWorkflow(userId, parsed.data.workflowId) : null,
    parsed.success ? listRuns(userId, parsed.data.workflowId, { limit: HISTORY_PAGE_SIZE }) : null,
  ]);
  // Another user's workflow is answered exactly like a missing one.
  if (!workflow || !runs) throw new Response("Workflow not found", { status: 404, statusText: "Not Found" });
  if (!user) throw redirect("/login");
  return { workflow: { id: workflow.id, name: workflow.name, version: workflow.version, graph: workflow.graph }, runs };
}

export default function WorkflowPage() {
  const { workflow, runs } = useLoaderData<typeof loader>();
  // Keyed by workflow, so following a link to another workflow starts a fresh editor and store.
  return <WorkflowEditor key={workflow.id} workflow={workflow} runs={runs} />;
}
