import { z } from "zod";

/** One limit in USD: a positive amount, or null for none. Shared by the limits API and the settings form. */
export const LimitUsdSchema = z
  .number({ error: "must be an amount in US dollars, or null for no limit" })
  .positive("must be more than $0 (or null for no limit)")
  .max(1_000_000, "must be at most $1,000,000")
  .nullable();

/** `PUT /api/account/limits`: a field left out stays as it is. */
export const AccountLimitsSchema = z.strictObject({ monthlyUsd: LimitUsdSchema.optional(), perRunUsd: LimitUsdSchema.optional() });
export type AccountLimitsRequest = z.infer<typeof AccountLimitsSchema>;

/** The settings form's field: empty = no limit, otherwise a dollar amount ("0.50", "$20"). */
export const LimitUsdFieldSchema = z.preprocess((value) => {
  if (typeof value !== "string") return value;
  const trimmed = value.trim().replace(/^\$/, "");
  return trimmed === "" ? null : Number(trimmed);
}, LimitUsdSchema);
