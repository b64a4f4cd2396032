import { useEffect } from "react";
import { editorShortcut, isTypingTarget } from "~/lib/editor/shortcuts";
import type { EditorStore } from "~/lib/editor/store";

/**
 * Undo/redo, copy, paste and duplicate from the keyboard. Presses inside a text field are left
 * to the field, so its own undo and clipboard keep working.
 */
export function useEditorShortcuts(store: EditorStore) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      const shortcut = editorShortcut(event);
      if (!shortcut) return;
      const { actions } = store.getState();
      switch (shortcut) {
        case "undo":
          actions.undo();
          break;
        case "redo":
          actions.redo();
          break;
        case "copy": {
          const clipboard = actions.copySelection();
          // Nothing selected: leave the key to the browser (copying selected page text).
          if (!clipboard) return;
          // Also on the system clipboard where allowed, for pasting into a file or another tool.
          void navigator.clipboard?.writeText(JSON.stringify(clipboard, null, 2)).catch(() => undefined);
          break;
        }
        case "paste":
          actions.paste();
          break;
        case "duplicate":
          actions.duplicate();
          break;
      }
      event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [store]);
}
