import { useCallback, useEffect, useRef } from "react";
import { createAutosave, type Autosave } from "~/lib/editor/autosave";
import type { EditorStore } from "~/lib/editor/store";

/**
 * Autosaves the editor while it is mounted. Pending changes are sent at once when the editor
 * unmounts (leaving for another page) or the page is hidden or closed (best effort there: the
 * browser may not wait). Returns a function that saves pending changes now.
 */
export function useAutosave(store: EditorStore): () => Promise<void> {
  const autosaveRef = useRef<Autosave | null>(null);

  useEffect(() => {
    const autosave = createAutosave(store);
    autosaveRef.current = autosave;
    const flushOnExit = () => void autosave.flush({ keepalive: true });
    const onVisibilityChange = () => {
      if (document.visibilityState === "hidden") flushOnExit();
    };
    window.addEventListener("pagehide", flushOnExit);
    document.addEventListener("visibilitychange", onVisibilityChange);
    return () => {
      window.removeEventListener("pagehide", flushOnExit);
      document.removeEventListener("visibilitychange", onVisibilityChange);
      // The request starts before dispose, so it completes even though nothing waits for it.
      void autosave.flush();
      autosave.dispose();
      autosaveRef.current = null;
    };
  }, [store]);

  return useCallback(() => autosaveRef.current?.flush() ?? Promise.resolve(), []);
}
