export type EditorShortcut = "undo" | "redo" | "copy" | "paste" | "duplicate";

/** The editor command a key press asks for, with Ctrl on Windows/Linux and Cmd on macOS. */
export function editorShortcut(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): EditorShortcut | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  switch (event.key.toLowerCase()) {
    case "z":
      return event.shiftKey ? "redo" : "undo";
    case "y":
      return event.shiftKey ? null : "redo";
    case "c":
      return event.shiftKey ? null : "copy";
    case "v":
      return event.shiftKey ? null : "paste";
    case "d":
      return event.shiftKey ? null : "duplicate";
    default:
      return null;
  }
}

/**
 * Whether a key press belongs to a field being typed in, whose own undo, copy and paste must
 * keep working.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["button", "checkbox", "radio", "range", "submit", "reset", "file", "color"].includes(target.type);
  }
  return false;
}
