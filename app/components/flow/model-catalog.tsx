import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { ModelCatalogSchema, type ModelCatalog } from "~workflow/gemini-models";

const ModelCatalogContext = createContext<ModelCatalog | null>(null);

/**
 * The Gemini models the editor offers, from `GET /api/models` (loaded once per editor: the list
 * changes at most daily). Null until it arrives, and on canvases without a provider (run and
 * share pages), where the model pickers only show the model each node has.
 */
export function ModelCatalogProvider({ children }: { children: ReactNode }) {
  const [catalog, setCatalog] = useState<ModelCatalog | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/models", { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(async (response) => {
        if (!response.ok) throw new Error(`GET /api/models answered ${response.status}`);
        setCatalog(ModelCatalogSchema.parse(await response.json()));
      })
      .catch((error: unknown) => {
        // No list: each picker still shows and keeps its node's model.
        if (!controller.signal.aborted) console.warn(`Could not load the model list: ${String(error)}`);
      });
    return () => controller.abort();
  }, []);
  return <ModelCatalogContext.Provider value={catalog}>{children}</ModelCatalogContext.Provider>;
}

export function useModelCatalog(): ModelCatalog | null {
  return useContext(ModelCatalogContext);
}
