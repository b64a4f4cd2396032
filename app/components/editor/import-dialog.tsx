import { useEffect, useRef } from "react";

/** Why a workflow file was not loaded; the current graph stays as it was. */
export function ImportProblemsDialog({
  fileName,
  problems,
  onClose,
}: {
  fileName: string;
  problems: string[];
  onClose: () => void;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);

  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/60 p-6"
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose();
      }}
    >
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="import-problems-title"
        aria-describedby="import-problems-list"
        className="w-full max-w-lg rounded-xl border border-line bg-panel p-5 shadow-2xl"
      >
        <h2 id="import-problems-title" className="text-lg font-semibold">
          {fileName} cannot be imported
        </h2>
        <p className="mt-1 text-sm text-zinc-400">Nothing was changed. Fix these problems in the file and try again:</p>
        <ul id="import-problems-list" className="mt-3 max-h-72 list-disc space-y-1.5 overflow-y-auto pl-5 text-sm text-red-200">
          {problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
        <div className="mt-5 flex justify-end">
          <button
            ref={closeRef}
            type="button"
            onClick={onClose}
            className="rounded-md bg-accent px-4 py-1.5 text-sm font-medium text-white hover:bg-accent-strong"
          >
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
