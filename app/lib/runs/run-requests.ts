import { z } from "zod";
import {
  ApiErrorBodySchema,
  EstimateResponseSchema,
  RealtimeAccessSchema,
  RunDetailSchema,
  RunsPageSchema,
  StartedRunSchema,
  type RealtimeAccess,
  type RunDetail,
  type RunScope,
  type RunsPage,
  type StartedRun,
} from "./run-schemas";
import type { PlanEstimate } from "~workflow/cost/estimate";

// The browser's calls to the run API. Each answers with the parsed body or a message a person
// can act on; none throws, so callers only choose where to show the message.

export type ApiResult<T> =
  | { ok: true; value: T }
  /** `status` is the HTTP status, or null when no answer came. */
  | { ok: false; message: string; problems: string[]; status: number | null };

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const defaultFetch: Fetch = (input, init) => fetch(input, init);

const JSON_HEADERS = { Accept: "application/json" } as const;

export function startRun(
  workflowId: string,
  /** `fresh`: nodes that execute even when the cache has their work (Re-roll). */
  request: { scope: RunScope; nodeIds?: string[]; fresh?: string[] },
  send: Fetch = defaultFetch,
): Promise<ApiResult<StartedRun>> {
  return call(
    send,
    `/api/workflows/${encodeURIComponent(workflowId)}/runs`,
    { method: "POST", headers: { ...JSON_HEADERS, "Content-Type": "application/json" }, body: JSON.stringify(request) },
    StartedRunSchema,
    "The run could not be started",
  );
}

export function retryRun(runId: string, send: Fetch = defaultFetch): Promise<ApiResult<StartedRun>> {
  return call(send, `/api/runs/${encodeURIComponent(runId)}/retry`, { method: "POST", headers: JSON_HEADERS }, StartedRunSchema, "The run could not be retried");
}

export async function cancelRun(runId: string, send: Fetch = defaultFetch): Promise<ApiResult<null>> {
  const result = await call(send, `/api/runs/${encodeURIComponent(runId)}/cancel`, { method: "POST", headers: JSON_HEADERS }, null, "The run could not be cancelled");
  return result.ok ? { ok: true, value: null } : result;
}

export function fetchRunDetail(runId: string, send: Fetch = defaultFetch): Promise<ApiResult<RunDetail>> {
  return call(
    send,
    `/api/runs/${encodeURIComponent(runId)}`,
    { headers: JSON_HEADERS },
    z.object({ run: RunDetailSchema }).transform((body) => body.run),
    "The run's details could not be loaded",
  );
}

export function fetchRunsPage(workflowId: string, cursor: string | null, send: Fetch = defaultFetch): Promise<ApiResult<RunsPage>> {
  const query = cursor === null ? "" : `?cursor=${encodeURIComponent(cursor)}`;
  return call(send, `/api/workflows/${encodeURIComponent(workflowId)}/runs${query}`, { headers: JSON_HEADERS }, RunsPageSchema, "Older runs could not be loaded");
}

/** What a run of this scope would cost (the saved graph), per node and in total. */
export function fetchEstimate(
  workflowId: string,
  request: { scope: RunScope; nodeIds?: string[] },
  signal?: AbortSignal,
  send: Fetch = defaultFetch,
): Promise<ApiResult<PlanEstimate>> {
  const query = new URLSearchParams({ scope: request.scope });
  if (request.nodeIds && request.nodeIds.length > 0) query.set("nodeIds", request.nodeIds.join(","));
  return call(
    send,
    `/api/workflows/${encodeURIComponent(workflowId)}/estimate?${query}`,
    { headers: JSON_HEADERS, signal },
    EstimateResponseSchema.transform((body) => body.estimate),
    "The cost could not be estimated",
  );
}

/** A fresh realtime token for a run that is still going (page reloads, tokens about to expire). */
export function fetchRealtimeAccess(runId: string, send: Fetch = defaultFetch): Promise<ApiResult<RealtimeAccess>> {
  return call(send, `/api/runs/${encodeURIComponent(runId)}/realtime`, { headers: JSON_HEADERS }, RealtimeAccessSchema, "The run's live view could not be opened");
}

async function call<T>(
  send: Fetch,
  url: string,
  init: RequestInit,
  schema: z.ZodType<T> | null,
  failure: string,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await send(url, init);
  } catch {
    return { ok: false, message: `${failure}: the server could not be reached.`, problems: [], status: null };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) return { ok: false, ...describeError(response.status, body, failure), status: response.status };
  if (schema === null) return { ok: true, value: null as T };
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, message: `${failure}: the server's answer was not understood.`, problems: [], status: response.status };
  }
  return { ok: true, value: parsed.data };
}

/**
 * The API's own message (it names the node and what to do, e.g. "Run LLM "summary" has no
 * successful output yet; …"), with every problem listed when there are several.
 */
export function describeError(status: number, body: unknown, failure: string): { message: string; problems: string[] } {
  const parsed = ApiErrorBodySchema.safeParse(body);
  if (!parsed.success) return { message: `${failure} (the server answered ${status}).`, problems: [] };
  const problems = (parsed.data.error.details?.problems ?? []).map((problem) => problem.message);
  return { message: parsed.data.error.message, problems: problems.length > 1 ? problems : [] };
}
