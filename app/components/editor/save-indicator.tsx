import { useShallow } from "zustand/react/shallow";
import { describeSave } from "~/lib/editor/save-status";
import { useEditor } from "./editor-store-context";

const TONE_STYLES = {
  saved: { dot: "bg-emerald-400", text: "text-zinc-400" },
  pending: { dot: "bg-amber-400 animate-pulse", text: "text-zinc-300" },
  error: { dot: "bg-red-500", text: "text-red-300" },
} as const;

/** Saved / Saving… / Unsaved changes / why it was not saved. */
export function SaveIndicator() {
  const { tone, text } = useEditor(
    useShallow((state) => describeSave({ save: state.save, revision: state.revision, savedRevision: state.savedRevision })),
  );
  const styles = TONE_STYLES[tone];
  return (
    <p role="status" aria-live="polite" className={`flex min-w-0 items-center gap-2 text-xs ${styles.text}`}>
      <span aria-hidden className={`h-2 w-2 shrink-0 rounded-full ${styles.dot}`} />
      <span className="truncate" title={text}>
        {text}
      </span>
    </p>
  );
}
