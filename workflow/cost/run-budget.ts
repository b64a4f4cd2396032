import type { NodeEstimate } from "./estimate";
import type { PriceTable } from "./prices";
import { costOfUsage, formatUsd, type Usage, type Usd } from "./usage";

/**
 * The money side of one run as it executes: what each paid node reported using, what that cost,
 * and whether the next paid node may still start under the per-run cap and what was left of the
 * month when the run began. Estimates are estimates, so the check runs again before every paid node.
 */
export interface RunBudgetOptions {
  prices: PriceTable;
  /** The account's per-run cap in USD; null = none. */
  perRunUsd: number | null;
  /** What was left of the account's monthly budget when this execution began; null = no budget. */
  monthRemainingUsd: number | null;
  /**
   * What the run had already paid for when this execution began (a resumed run, a retried
   * orchestrator): it counts against the per-run cap. The month's remainder already leaves it out.
   */
  spentBeforeUsd?: number;
  /** The run's estimate by node: a node estimated at $0 never calls a paid API and is never held back. */
  estimates: Readonly<Record<string, NodeEstimate>>;
}

export interface NodeSpend {
  usage: Usage[];
  /** null: some usage is of a model the price table does not know. */
  costUsd: Usd;
}

export class RunSpend {
  /** Paid for by this execution (known prices only). */
  private spentUsd = 0;
  private readonly byNode = new Map<string, Usage[]>();

  constructor(private readonly options: RunBudgetOptions) {}

  /** Adds what one execution reported using. */
  record(nodeId: string, usage: Usage): void {
    const list = this.byNode.get(nodeId) ?? [];
    list.push(usage);
    this.byNode.set(nodeId, list);
    this.spentUsd += costOfUsage(usage, this.options.prices) ?? 0;
  }

  /** The node's usage and cost, or undefined when it reported none. */
  spendOf(nodeId: string): NodeSpend | undefined {
    const usage = this.byNode.get(nodeId);
    if (!usage) return undefined;
    let costUsd: Usd = 0;
    for (const entry of usage) {
      const cost = costOfUsage(entry, this.options.prices);
      costUsd = cost === null || costUsd === null ? null : costUsd + cost;
    }
    return { usage, costUsd };
  }

  /** Why a paid node may not start now, or null when it may. Free nodes always may. */
  refusal(nodeId: string): string | null {
    const estimate = this.options.estimates[nodeId];
    if (!estimate || estimate.usd === 0) return null;
    const next = estimate.usd ?? 0;
    const { perRunUsd, monthRemainingUsd, spentBeforeUsd = 0 } = this.options;
    const runSpent = spentBeforeUsd + this.spentUsd;
    if (perRunUsd !== null && runSpent + next > perRunUsd) {
      return runSpent >= perRunUsd
        ? `Per-run cap of ${formatUsd(perRunUsd)} reached: ${formatUsd(runSpent)} spent.`
        : `Per-run cap of ${formatUsd(perRunUsd)} would be crossed: ${formatUsd(runSpent)} spent and this node costs ≈ ${formatUsd(next)}.`;
    }
    if (monthRemainingUsd !== null && this.spentUsd + next > monthRemainingUsd) {
      return `Monthly budget reached: ${formatUsd(monthRemainingUsd)} was left this month, ${formatUsd(this.spentUsd)} spent by this run and this node costs ≈ ${formatUsd(next)}.`;
    }
    return null;
  }
}
