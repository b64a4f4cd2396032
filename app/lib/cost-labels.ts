import type { PlanEstimate } from "~workflow/cost/estimate";
import { formatUsd } from "~workflow/cost/usage";

/** A cost as shown on a node: "$0.0031", or "price unknown" (never "$0" for a price not known). */
export function costLabel(usd: number | null): string {
  return usd === null ? "price unknown" : formatUsd(usd);
}

/** An estimate's total for the Run buttons: "≈ $0.12", "≈ $0.12 + price unknown" when some node's price is not known. */
export function estimateLabel(estimate: Pick<PlanEstimate, "totalUsd" | "complete">): string {
  const total = `≈ ${formatUsd(estimate.totalUsd)}`;
  return estimate.complete ? total : `${total} + price unknown`;
}
