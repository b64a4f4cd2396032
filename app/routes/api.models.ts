import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { getModelCatalog } from "~/.server/models-catalog.server";
import type { ModelCatalog } from "~workflow/gemini-models";

/**
 * `GET /api/models` → `{models: [{id, label, kind, inputTokenLimit?, outputTokenLimit?}], source,
 * fetchedAt}`: the Gemini models the app's key can use ("live"), or the shipped list ("fallback")
 * when there is no key or Gemini could not be reached. The editor's model dropdowns read it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireApiUserId(request);
  const catalog: ModelCatalog = await getModelCatalog();
  // Per user (authenticated) and changes at most daily: a private minute of caching is plenty.
  return json(catalog, { headers: { "Cache-Control": "private, max-age=60" } });
}
