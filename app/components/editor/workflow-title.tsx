import { useState } from "react";
import { MAX_WORKFLOW_NAME_LENGTH, WorkflowNameSchema } from "~/lib/workflow-fields";
import { useEditor, useEditorActions } from "./editor-store-context";

/** The workflow's name, renamed in place: click, type, Enter (Escape cancels). Saved with the graph. */
export function WorkflowTitle() {
  const name = useEditor((state) => state.name);
  const { rename } = useEditorActions();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const commit = () => {
    if (draft === null) return;
    const parsed = WorkflowNameSchema.safeParse(draft);
    if (!parsed.success) {
      setError(parsed.error.issues[0].message);
      return;
    }
    rename(parsed.data);
    setDraft(null);
    setError(null);
  };

  if (draft === null) {
    return (
      <h1 className="min-w-0 text-[15px] font-semibold">
        <button
          type="button"
          title="Rename"
          onClick={() => setDraft(name)}
          className="max-w-[28rem] truncate rounded-md px-2 py-1 text-left hover:bg-panel-2"
        >
          {name}
        </button>
      </h1>
    );
  }

  return (
    <div className="relative min-w-0">
      <input
        aria-label="Workflow name"
        value={draft}
        maxLength={MAX_WORKFLOW_NAME_LENGTH}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "workflow-name-error" : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit();
          if (event.key === "Escape") {
            setDraft(null);
            setError(null);
          }
        }}
        className="w-72 rounded-md border border-line bg-canvas px-2 py-1 text-[15px] font-semibold text-zinc-100 outline-none focus:border-accent aria-invalid:border-red-500"
      />
      {error ? (
        <p
          id="workflow-name-error"
          role="alert"
          className="absolute left-0 top-full z-20 mt-1 whitespace-nowrap rounded border border-red-500/40 bg-red-950 px-2 py-1 text-xs text-red-200"
        >
          {error}
        </p>
      ) : null}
    </div>
  );
}
