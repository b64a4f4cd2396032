import { createContext, useContext, useEffect, useLayoutEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { assetUrl, OWNER_FILES_PATH } from "~/lib/assets";
import { keepUnchangedViews, type NodeRunView } from "~/lib/runs/node-run-view";
import type { NodeStatus } from "~workflow/run-progress";

export type { NodeRunView };

type Views = Readonly<Record<string, NodeRunView>>;

/**
 * The run's views, held outside React so each node subscribes to its own: when progress
 * arrives, only the nodes whose view changed are drawn again, not the whole canvas (a run of
 * hundreds of nodes reports many times a second).
 */
interface ViewStore {
  get(): Views;
  /** Whether a run is laid over the canvas at all (kept with the views, so edges need not count them). */
  hasRun(): boolean;
  set(views: Views): void;
  subscribe(listener: () => void): () => void;
}

function createViewStore(initial: Views): ViewStore {
  let views = initial;
  let hasRun = Object.keys(initial).length > 0;
  const listeners = new Set<() => void>();
  return {
    get: () => views,
    hasRun: () => hasRun,
    set(next) {
      const shared = keepUnchangedViews(views, next);
      views = shared;
      hasRun = Object.keys(shared).length > 0;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const EMPTY_STORE = createViewStore({});
const RunOverlayContext = createContext<ViewStore>(EMPTY_STORE);
const ReadOnlyContext = createContext(false);
const FilesPathContext = createContext(OWNER_FILES_PATH);

// Layout effects do not run on the server; there the first views are rendered as they are.
const useIsomorphicLayoutEffect = typeof document === "undefined" ? useEffect : useLayoutEffect;

/**
 * Lays a run over the canvas: the editor passes the live run, the run and share pages the run
 * they show. Node components read it with `useNodeRun`.
 */
export function RunOverlayProvider({
  nodes,
  readOnly = false,
  filesPath = OWNER_FILES_PATH,
  children,
}: {
  nodes: Views;
  /** Run and share pages: fields, menus and uploads are shown but cannot be changed. */
  readOnly?: boolean;
  /** Where nodes fetch their files: the owner's route, or a share link's (which a visitor may open). */
  filesPath?: string;
  children: ReactNode;
}) {
  const [store] = useState(() => createViewStore(nodes));
  // Before the browser paints, so a change reaches the screen in the frame it arrived in.
  useIsomorphicLayoutEffect(() => {
    store.set(nodes);
  }, [store, nodes]);
  return (
    <ReadOnlyContext.Provider value={readOnly}>
      <FilesPathContext.Provider value={filesPath}>
        <RunOverlayContext.Provider value={store}>{children}</RunOverlayContext.Provider>
      </FilesPathContext.Provider>
    </ReadOnlyContext.Provider>
  );
}

export function useNodeRun(nodeId: string): NodeRunView | null {
  const store = useContext(RunOverlayContext);
  const select = () => store.get()[nodeId] ?? null;
  return useSyncExternalStore(store.subscribe, select, select);
}

/**
 * Only the node's status in the run: for what shows nothing else of it (edges, compact nodes),
 * so that text streaming into the node, or its records loading, does not draw them again.
 */
export function useNodeRunStatus(nodeId: string): NodeStatus | null {
  const store = useContext(RunOverlayContext);
  const select = () => store.get()[nodeId]?.status ?? null;
  return useSyncExternalStore(store.subscribe, select, select);
}

/** Whether a run is laid over the canvas (its nodes then show how they did). */
export function useRunOnCanvas(): boolean {
  const store = useContext(RunOverlayContext);
  return useSyncExternalStore(store.subscribe, store.hasRun, store.hasRun);
}

export function useReadOnlyCanvas(): boolean {
  return useContext(ReadOnlyContext);
}

/** The URL of an asset as this canvas's viewer may fetch it. */
export function useAssetUrl(): (assetId: string) => string {
  const filesPath = useContext(FilesPathContext);
  return (assetId) => assetUrl(assetId, filesPath);
}
