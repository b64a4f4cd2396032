import { Form } from "@remix-run/react";
import { formatUsd } from "~workflow/cost/usage";

interface SpendingSectionProps {
  limits: { monthlyUsd: number | null; perRunUsd: number | null };
  spend: { totalUsd: number; workflows: { workflowId: string; name: string; usd: number }[] };
  saving: boolean;
  result: { saved: true } | { error: string } | null;
}

const inputClass =
  "w-32 rounded border border-line bg-panel-2 px-3 py-2 text-zinc-100 outline-none focus:border-accent aria-invalid:border-red-500";

/** Settings: what runs cost this month, by workflow, and the account's monthly budget and per-run cap. */
export function SpendingSection({ limits, spend, saving, result }: SpendingSectionProps) {
  const error = result && "error" in result ? result.error : null;
  return (
    <section aria-labelledby="spending-heading" className="mt-8 rounded-lg border border-line bg-panel p-6">
      <h2 id="spending-heading" className="text-lg font-semibold">
        Spending
      </h2>
      <p className="mt-1 text-sm text-zinc-400">
        What your runs cost at Gemini&rsquo;s list prices this month (UTC). A run whose estimate is above the per-run cap, or above
        what is left of the monthly budget, is refused before it starts; a run that reaches a limit while it goes starts no
        further paid node.
      </p>
      <p className="mt-3 text-sm text-zinc-200">
        {formatUsd(spend.totalUsd)} spent this month
        {limits.monthlyUsd === null ? "" : ` of ${formatUsd(limits.monthlyUsd)}`}
      </p>
      {spend.workflows.length > 0 ? (
        <table className="mt-3 w-full text-sm">
          <caption className="sr-only">Spend this month by workflow</caption>
          <tbody>
            {spend.workflows.map((workflow) => (
              <tr key={workflow.workflowId} className="border-t border-line">
                <th scope="row" className="py-1.5 text-left font-normal text-zinc-300">
                  <a href={`/workflows/${workflow.workflowId}`} className="hover:text-white hover:underline">
                    {workflow.name}
                  </a>
                </th>
                <td className="py-1.5 text-right tabular-nums text-zinc-200">{formatUsd(workflow.usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <Form method="post" className="mt-4 flex flex-wrap items-end gap-3">
        <input type="hidden" name="intent" value="limits" />
        <LimitField id="monthly-budget" name="monthlyUsd" label="Monthly budget (USD)" value={limits.monthlyUsd} error={error} />
        <LimitField id="per-run-cap" name="perRunUsd" label="Per-run cap (USD)" value={limits.perRunUsd} error={error} />
        <button
          type="submit"
          disabled={saving}
          className="rounded-md bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong disabled:opacity-50"
        >
          {saving ? "Saving…" : "Save limits"}
        </button>
      </Form>
      {error ? (
        <p id="limits-error" role="alert" className="mt-2 text-sm text-red-300">
          {error}
        </p>
      ) : result ? (
        <p role="status" className="mt-2 text-sm text-emerald-300">
          Limits saved.
        </p>
      ) : null}
    </section>
  );
}

/** One limit's field: empty means no limit; the form's one error describes both. */
function LimitField({ id, name, label, value, error }: { id: string; name: string; label: string; value: number | null; error: string | null }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm text-zinc-300">
        {label}
      </label>
      <input
        id={id}
        name={name}
        inputMode="decimal"
        placeholder="no limit"
        defaultValue={value ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "limits-error" : undefined}
        className={inputClass}
      />
    </div>
  );
}
