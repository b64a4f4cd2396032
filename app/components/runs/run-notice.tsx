import { useRuns, useRunsActions } from "./runs-context";

/** Why a run could not start, be retried or be cancelled, in the server's words, until dismissed. */
export function RunNotice() {
  const notice = useRuns((state) => state.notice);
  const { showNotice } = useRunsActions();
  if (!notice) return null;
  return (
    <div role="alert" className="flex items-start gap-3 border-b border-red-500/40 bg-red-500/10 px-4 py-2 text-sm text-red-100">
      <div className="min-w-0 flex-1">
        <p>{notice.message}</p>
        {notice.problems.length > 0 ? (
          <ul className="mt-1 list-disc pl-5 text-red-200/90">
            {notice.problems.map((problem, index) => (
              <li key={index}>{problem}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <button
        type="button"
        onClick={() => showNotice(null)}
        className="shrink-0 rounded-md border border-red-400/40 px-2.5 py-1 text-xs text-red-100 hover:bg-red-500/20"
      >
        Dismiss
      </button>
    </div>
  );
}
