import type { EditorState } from "./store";

export interface SaveIndicator {
  tone: "saved" | "pending" | "error";
  text: string;
}

/** The toolbar's one-line answer to "is my work saved?". */
export function describeSave(state: Pick<EditorState, "save" | "revision" | "savedRevision">): SaveIndicator {
  switch (state.save.kind) {
    case "saving":
      return { tone: "pending", text: "Saving…" };
    case "conflict":
      return { tone: "error", text: "Not saved: changed elsewhere" };
    case "invalid":
    case "error":
      return { tone: "error", text: `Not saved: ${state.save.message}` };
    case "idle":
      return state.revision === state.savedRevision
        ? { tone: "saved", text: "Saved" }
        : { tone: "pending", text: "Unsaved changes" };
  }
}
