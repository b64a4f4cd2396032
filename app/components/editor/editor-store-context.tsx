import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { EditorActions, EditorState, EditorStore } from "~/lib/editor/store";

const EditorStoreContext = createContext<EditorStore | null>(null);

/** Makes one editor's store available to its components; each open editor has its own. */
export function EditorStoreProvider({ store, children }: { store: EditorStore; children: ReactNode }) {
  return <EditorStoreContext.Provider value={store}>{children}</EditorStoreContext.Provider>;
}

export function useEditorStoreApi(): EditorStore {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error("useEditorStoreApi must be used inside <EditorStoreProvider>.");
  return store;
}

/** A slice of the editor's state; the component re-renders when the selected value changes. */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStoreApi(), selector);
}

export function useEditorActions(): EditorActions {
  return useEditor((state) => state.actions);
}
