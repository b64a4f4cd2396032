import { z } from "zod";
import { NodeStatusSchema, RunStatusSchema } from "~workflow/run-progress";
import { RunScopeSchema, type RunScope } from "~workflow/plan";
import { NodeInputsSchema, NodeOutputsSchema } from "~workflow/values";
import { UsageSchema } from "~workflow/cost/usage";

// The run API's answers, defined once: app/.server/models/run.server.ts builds RunSummary and
// RunDetail with these types, app/.server/run-responses.server.ts the StartedRun answer, and the
// browser parses what arrives with these schemas (run-schemas.test.ts feeds them what the server
// really returns). Dates arrive as ISO strings over JSON and as Date objects through a loader;
// both become Dates.

const DateSchema = z.coerce.date();

export { RunScopeSchema, type RunScope };

export const RunSummarySchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  status: RunStatusSchema,
  scope: RunScopeSchema,
  requestedNodeIds: z.array(z.string()),
  createdAt: DateSchema,
  startedAt: DateSchema.nullable(),
  finishedAt: DateSchema.nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  retryOfId: z.string().nullable(),
  /** What the run's paid nodes cost (known prices), in USD. */
  costUsd: z.number(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/**
 * One node of a run as recorded: the inputs it used (a list for ports with many connections)
 * and its outputs, by port id.
 */
export const NodeExecutionSchema = z.object({
  nodeId: z.string(),
  nodeType: z.string(),
  status: NodeStatusSchema,
  inputs: NodeInputsSchema.nullable(),
  outputs: NodeOutputsSchema.nullable(),
  error: z.string().nullable(),
  /** Identifies the work done (workflow/fingerprint.ts), so equal work can be recognised. */
  fingerprint: z.string().nullable(),
  startedAt: DateSchema.nullable(),
  finishedAt: DateSchema.nullable(),
  durationMs: z.number().nullable(),
  /** Set when the node took its outputs from the cache (ADR 016): the execution that made them. */
  cachedFromExecutionId: z.string().nullable(),
  /** That execution's run, for a link; null on a shared page, whose visitor may not see that run. */
  cachedFromRunId: z.string().nullable(),
  /** What the node's paid API calls used, as the API reported it; null for free nodes. */
  usage: z.array(UsageSchema).nullable(),
  /** What that cost in USD; null: free node, or price unknown when `usage` is set. */
  costUsd: z.number().nullable(),
});
export type NodeExecution = z.infer<typeof NodeExecutionSchema>;

export const RunDetailSchema = RunSummarySchema.extend({ nodes: z.array(NodeExecutionSchema) });
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const RunsPageSchema = z.object({ runs: z.array(RunSummarySchema), nextCursor: z.string().nullable() });
export type RunsPage = z.infer<typeof RunsPageSchema>;

/** What `useRealtimeRun(runId, { accessToken, baseURL })` needs to follow a run. */
export const RealtimeAccessSchema = z.object({ runId: z.string(), accessToken: z.string(), baseURL: z.string() });
export type RealtimeAccess = z.infer<typeof RealtimeAccessSchema>;

/** `POST /api/workflows/:id/runs` and `POST /api/runs/:id/retry`: 202 with the run and its realtime access. */
export const StartedRunSchema = z.object({
  run: z.object({ id: z.string(), status: RunStatusSchema, scope: RunScopeSchema }),
  realtime: RealtimeAccessSchema,
});
export type StartedRun = z.infer<typeof StartedRunSchema>;

/** The API's one error shape; plan problems (e.g. a missing upstream output) come in `details.problems`. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .object({ problems: z.array(z.object({ message: z.string(), nodeId: z.string().optional() })).optional() })
      .loose()
      .optional()
      .catch(undefined),
  }),
});

/** `GET /api/workflows/:id/estimate`: what a run of that scope would cost (workflow/cost/estimate.ts PlanEstimate). */
export const EstimateResponseSchema = z.object({
  estimate: z.object({
    totalUsd: z.number(),
    complete: z.boolean(),
    nodes: z.record(z.string(), z.object({ usd: z.number().nullable(), basis: z.string() })),
  }),
});
export type EstimateResponse = z.infer<typeof EstimateResponseSchema>;
