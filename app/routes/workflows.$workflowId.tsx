import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserId } from "~/.server/auth.server";
import { getUserById } from "~/.server/models/user.server";
import { getWorkflow } from "~/.server/models/workflow.server";
import { AppHeader } from "~/components/app-header";
import type { GraphEdge, GraphNode } from "~/lib/graph";
import { getNodeDefinition } from "~/lib/nodes/registry";
import type { PortDefinition } from "~/lib/nodes/types";
import { formatRelativeTime } from "~/lib/relative-time";
import { WorkflowIdParamsSchema } from "~/lib/workflow-fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.workflow.name} · Weft` : "Workflow not found · Weft" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const parsed = WorkflowIdParamsSchema.safeParse(params);
  const [user, workflow] = await Promise.all([
    getUserById(userId),
    parsed.success ? getWorkflow(userId, parsed.data.workflowId) : null,
  ]);
  // Another user's workflow is answered exactly like a missing one.
  if (!workflow) throw new Response("Workflow not found", { status: 404, statusText: "Not Found" });
  if (!user) throw redirect("/login");
  return { email: user.email, workflow, now: new Date() };
}

export default function WorkflowPage() {
  const { email, workflow, now } = useLoaderData<typeof loader>();
  const { nodes, edges } = workflow.graph;
  const nodesById = new Map(nodes.map((node) => [node.id, node]));

  return (
    <>
      <AppHeader email={email} />
      <main className="mx-auto max-w-5xl p-6">
        <Link to="/workflows" className="text-sm text-zinc-400 hover:text-zinc-100">
          ← All workflows
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 className="break-words text-2xl font-semibold">{workflow.name}</h1>
            <p className="mt-1 text-sm text-zinc-400">
              Version {workflow.version} · updated{" "}
              <time dateTime={new Date(workflow.updatedAt).toISOString()}>
                {formatRelativeTime(workflow.updatedAt, now)}
              </time>
            </p>
          </div>
          {/* A plain link: the export route answers with a file download, not a page. */}
          <a
            href={`/api/workflows/${workflow.id}/export`}
            download
            className="rounded border border-line px-3 py-1.5 text-sm text-zinc-200 hover:bg-panel-2"
          >
            Export JSON
          </a>
        </div>

        <section aria-labelledby="nodes-heading" className="mt-8">
          <h2 id="nodes-heading" className="text-lg font-medium">
            Nodes ({nodes.length})
          </h2>
          {nodes.length === 0 ? (
            <p className="mt-2 text-zinc-400">This workflow has no nodes yet.</p>
          ) : (
            <ul className="mt-3 flex flex-col gap-2">
              {nodes.map((node) => (
                <li key={node.id} className="rounded-lg border border-line bg-panel px-4 py-3">
                  <p>
                    <span className="font-medium">{nodeTypeLabel(node)}</span>{" "}
                    <code className="text-sm text-zinc-400">{node.id}</code>
                  </p>
                  <p className="mt-1 break-words text-sm text-zinc-300">{describeParams(node, edges)}</p>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="connections-heading" className="mt-8">
          <h2 id="connections-heading" className="text-lg font-medium">
            Connections ({edges.length})
          </h2>
          {edges.length === 0 ? (
            <p className="mt-2 text-zinc-400">No nodes are connected yet.</p>
          ) : (
            <ul className="mt-3 flex flex-col gap-1 text-sm text-zinc-300">
              {edges.map((edge) => (
                <li key={edge.id} className="rounded border border-line bg-panel px-3 py-2 font-mono">
                  {nodeName(nodesById.get(edge.source), edge.source)}.{edge.sourceHandle} →{" "}
                  {nodeName(nodesById.get(edge.target), edge.target)}.{edge.targetHandle}
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </>
  );
}

function nodeTypeLabel(node: GraphNode): string {
  return getNodeDefinition(node.type)?.label ?? node.type;
}

/** `Crop Image (crop-product)`: the type says what it does, the id tells two of a kind apart. */
function nodeName(node: GraphNode | undefined, id: string): string {
  return node ? `${nodeTypeLabel(node)} (${id})` : id;
}

/** One line of a node's parameters, e.g. `X %: 10 · Y %: 10 · System prompt: from a connection`. */
function describeParams(node: GraphNode, edges: readonly GraphEdge[]): string {
  const definition = getNodeDefinition(node.type);
  const inputs: readonly PortDefinition[] = definition?.inputs ?? [];
  const connected = new Set(edges.filter((edge) => edge.target === node.id).map((edge) => edge.targetHandle));
  // In the order the node type declares its parameters; the database does not keep key order.
  const keys = [...new Set([...Object.keys(definition?.params.shape ?? {}), ...Object.keys(node.data)])];
  const parts = keys.flatMap((key) => {
    if (!(key in node.data)) return [];
    const value = node.data[key];
    // Upload nodes hold an asset id, which means nothing to a reader; whether there is a file does.
    if (key === "assetId") return [value ? "File uploaded" : "No file uploaded yet"];
    const label = inputs.find((input) => input.id === key)?.label ?? capitalise(key.replaceAll("_", " "));
    if (connected.has(key)) return [`${label}: from a connection`];
    if (value === "" || value === null || value === undefined) return [];
    return [`${label}: ${formatValue(value)}`];
  });
  return parts.length > 0 ? parts.join(" · ") : "No parameters set";
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return `“${truncate(value, 80)}”`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return truncate(JSON.stringify(value), 80);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
