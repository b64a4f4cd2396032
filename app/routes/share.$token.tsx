import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import xyflowStyles from "@xyflow/react/dist/style.css?url";
import { getSharedRunView, runPageRealtime, SHARE_RESPONSE_HEADERS, sharedFilesPath, ShareParamsSchema } from "~/.server/models/share.server";
import flowStyles from "~/components/flow/flow.css?url";
import { RunPage } from "~/components/run-page/run-page";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: xyflowStyles },
  { rel: "stylesheet", href: flowStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.data.workflowName} · shared run · Weft` : "Link not found · Weft" },
  { name: "robots", content: "noindex, nofollow" },
];

// The page is only as public as its link: never stored by caches, so a revoked link is gone.
const SHARE_PAGE_HEADERS = { ...SHARE_RESPONSE_HEADERS, "Cache-Control": "private, no-store" };

export const headers: HeadersFunction = () => SHARE_PAGE_HEADERS;

/** A visitor with the link (no account needed) sees the run read-only; nothing else of the owner's. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = ShareParamsSchema.safeParse(params);
  const token = parsed.success ? parsed.data.token : null;
  const view = token ? await getSharedRunView(token) : null;
  if (!token || !view) throw new Response("This link does not work (anymore).", { status: 404, statusText: "Not Found", headers: SHARE_PAGE_HEADERS });
  return {
    data: {
      run: view.run,
      graph: view.graph,
      workflowName: view.workflow.name,
      // Bound to this link: the visitor's token stops working when the link is revoked.
      realtime: await runPageRealtime(request, view.ownerId, view.run, { shareToken: token }),
      filesPath: sharedFilesPath(token),
      now: new Date(),
    },
  };
}

export default function SharedRunRoute() {
  const { data } = useLoaderData<typeof loader>();
  return <RunPage data={data} />;
}

/** A revoked or unknown link: said plainly, with no way into the app it came from. */
export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="mx-auto max-w-lg p-10">
      <h1 className="text-2xl font-semibold">{notFound ? "This link does not work" : "Something went wrong"}</h1>
      <p className="mt-3 text-zinc-400">
        {notFound
          ? "The run it pointed to is no longer shared, or the link was mistyped. Ask whoever sent it for a new one."
          : "The shared run could not be shown. Try again in a moment."}
      </p>
    </main>
  );
}
