import { readFileSync } from "node:fs";
import { db, Prisma } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import { llmSettings } from "~/.server/llm-settings.server";
import { remember } from "~/.server/remember.server";
import { countPromptTokens } from "~workflow/cost/count-tokens";
import { estimatePlan, llmPromptOf, type LlmPrompt, type PlanEstimate } from "~workflow/cost/estimate";
import { parsePriceTable, SHIPPED_PRICES, type PriceTable } from "~workflow/cost/prices";
import { formatUsd, UsageSchema, type Usage } from "~workflow/cost/usage";
import type { Graph } from "~workflow/graph";
import type { RunBudgetOptions } from "~workflow/cost/run-budget";

/** The prices in force: the operator's file (WEFT_PRICES_PATH, read once) or the shipped table. */
export function prices(): PriceTable {
  return remember("prices", () => {
    const path = env().WEFT_PRICES_PATH;
    if (!path) return SHIPPED_PRICES;
    return parsePriceTable(JSON.parse(readFileSync(path, "utf8")), path);
  });
}

/** How many of a node's latest successful executions say what it usually uses. */
const RECENT_RUNS = 3;

/** The usage of each node's latest successful executions that reported any, newest first. */
export async function recentUsage(workflowId: string, nodeIds: readonly string[]): Promise<Record<string, Usage[]>> {
  if (nodeIds.length === 0) return {};
  const rows = await db.$queryRaw<{ nodeId: string; usage: unknown }[]>`
    SELECT "nodeId", "usage" FROM (
      SELECT "nodeId", "usage", ROW_NUMBER() OVER (PARTITION BY "nodeId" ORDER BY "finishedAt" DESC NULLS LAST) AS "rank"
      FROM "NodeExecution"
      WHERE "workflowId" = ${workflowId} AND "nodeId" IN (${Prisma.join(nodeIds)}) AND "status" = 'success' AND "usage" IS NOT NULL
    ) AS "recent"
    WHERE "rank" <= ${RECENT_RUNS}`;
  const byNode: Record<string, Usage[]> = Object.create(null);
  for (const row of rows) {
    const parsed = UsageSchema.array().safeParse(row.usage);
    if (parsed.success) (byNode[row.nodeId] ??= []).push(...parsed.data);
  }
  return byNode;
}

/**
 * What executing `nodeIds` of the graph would cost. `cachedNodeIds` are the nodes the output
 * cache would serve: they cost nothing.
 */
export async function estimateRun(
  workflowId: string,
  graph: Graph,
  nodeIds: readonly string[],
  cachedNodeIds: ReadonlySet<string>,
): Promise<PlanEstimate> {
  const prompts: Record<string, LlmPrompt> = {};
  for (const node of graph.nodes) {
    if (!nodeIds.includes(node.id) || cachedNodeIds.has(node.id)) continue;
    const prompt = llmPromptOf(node, graph);
    if (prompt && !prompt.hasUpstreamText) prompts[node.id] = prompt;
  }
  const [usage, counted] = await Promise.all([recentUsage(workflowId, nodeIds), countPromptTokens(prompts, llmSettings())]);
  return estimatePlan({ graph, nodeIds, prices: prices(), recentUsage: usage, countedInputTokens: counted, cachedNodeIds });
}

export interface AccountLimits {
  monthlyUsd: number | null;
  perRunUsd: number | null;
}

export async function accountLimits(userId: string): Promise<AccountLimits> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { monthlyBudgetUsd: true, perRunCapUsd: true } });
  return { monthlyUsd: user.monthlyBudgetUsd, perRunUsd: user.perRunCapUsd };
}

export async function setAccountLimits(userId: string, limits: Partial<AccountLimits>): Promise<AccountLimits> {
  const user = await db.user.update({
    where: { id: userId },
    data: { monthlyBudgetUsd: limits.monthlyUsd, perRunCapUsd: limits.perRunUsd },
    select: { monthlyBudgetUsd: true, perRunCapUsd: true },
  });
  return { monthlyUsd: user.monthlyBudgetUsd, perRunUsd: user.perRunCapUsd };
}

/** The first instant of the current calendar month, UTC: budgets are monthly in UTC. */
export function monthStart(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** What the owner's runs cost this month, by workflow (runs are counted in the month they were requested). */
export async function spendThisMonth(userId: string, now = new Date()): Promise<{ totalUsd: number; workflows: { workflowId: string; name: string; usd: number }[] }> {
  const rows = await db.$queryRaw<{ workflowId: string; name: string; usd: number }[]>`
    SELECT r."workflowId", w."name", SUM(r."costUsd")::double precision AS "usd"
    FROM "WorkflowRun" r JOIN "Workflow" w ON w."id" = r."workflowId"
    WHERE r."ownerId" = ${userId} AND r."createdAt" >= ${monthStart(now)}
    GROUP BY r."workflowId", w."name"
    HAVING SUM(r."costUsd") > 0
    ORDER BY "usd" DESC`;
  return { totalUsd: rows.reduce((sum, row) => sum + row.usd, 0), workflows: rows };
}

/**
 * What the scheduler enforces while a run goes: the owner's per-run cap, what is left of the
 * month now, and the estimate the run was accepted on (both modes execute through here).
 */
export async function runBudget(
  ownerId: string,
  run: { estimate: PlanEstimate | null; costUsd: number },
): Promise<RunBudgetOptions> {
  const limits = await accountLimits(ownerId);
  const spent = limits.monthlyUsd === null ? 0 : (await spendThisMonth(ownerId)).totalUsd;
  return {
    prices: prices(),
    perRunUsd: limits.perRunUsd,
    monthRemainingUsd: limits.monthlyUsd === null ? null : Math.max(0, limits.monthlyUsd - spent),
    // A resumed run, or a retried orchestrator, has paid for some nodes already.
    spentBeforeUsd: run.costUsd,
    estimates: run.estimate?.nodes ?? {},
  };
}

/** Why the account's limits refuse a run, with the figures. */
export interface BudgetRefusal {
  message: string;
  estimateUsd: number;
  remainingUsd: number | null;
  monthlyUsd: number | null;
  perRunUsd: number | null;
  spentThisMonthUsd: number;
}

/** Whether the owner's limits allow a run of this estimate: under the per-run cap and what is left of the month. */
export async function checkBudget(userId: string, estimate: PlanEstimate): Promise<BudgetRefusal | null> {
  const limits = await accountLimits(userId);
  const spent = limits.monthlyUsd === null ? 0 : (await spendThisMonth(userId)).totalUsd;
  const remainingUsd = limits.monthlyUsd === null ? null : Math.max(0, limits.monthlyUsd - spent);
  const figures = { estimateUsd: estimate.totalUsd, remainingUsd, monthlyUsd: limits.monthlyUsd, perRunUsd: limits.perRunUsd, spentThisMonthUsd: spent };
  const estimateText = `This run is estimated at ≈ ${formatUsd(estimate.totalUsd)}`;
  if (limits.perRunUsd !== null && estimate.totalUsd > limits.perRunUsd) {
    return { ...figures, message: `${estimateText}, above your per-run cap of ${formatUsd(limits.perRunUsd)}. Raise the cap in Settings or run fewer nodes.` };
  }
  if (remainingUsd !== null && limits.monthlyUsd !== null && estimate.totalUsd > remainingUsd) {
    return {
      ...figures,
      message: `${estimateText}, but only ${formatUsd(remainingUsd)} of your ${formatUsd(limits.monthlyUsd)} monthly budget is left (${formatUsd(spent)} spent this month). Raise the budget in Settings or run fewer nodes.`,
    };
  }
  return null;
}
