import { validateGraph } from "~workflow/graph-validation";
import { toGraph } from "./graph-conversion";
import type { EditorState, EditorStore } from "./store";

export interface AutosaveOptions {
  fetch?: typeof fetch;
  /** Quiet time after the last change before saving. */
  delayMs?: number;
  /** Wait before trying again after a network or server failure. */
  retryMs?: number;
}

export interface Autosave {
  /** Saves pending changes now; `keepalive` lets the request outlive the page (unload). */
  flush(options?: { keepalive?: boolean }): Promise<void>;
  dispose(): void;
}

// Browsers refuse keepalive requests with bodies over 64 KiB; bigger graphs are sent normally.
const KEEPALIVE_BODY_LIMIT = 60_000;

/**
 * Saves the editor's graph and name through `PUT /api/workflows/:id` a little while after the
 * last change, one request at a time, based on the version last saved. Graphs that break the
 * rules are not sent (the save status says why); a conflict stops saving until reload.
 */
export function createAutosave(store: EditorStore, options: AutosaveOptions = {}): Autosave {
  const send = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const delayMs = options.delayMs ?? 800;
  const retryMs = options.retryMs ?? 5_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;
  let disposed = false;

  const pending = (state: EditorState) => state.revision !== state.savedRevision && state.save.kind !== "conflict";

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!disposed) timer = setTimeout(() => void save(), ms);
  };

  const save = async (keepalive = false): Promise<void> => {
    clearTimeout(timer);
    if (inFlight) {
      // One request at a time: each save is based on the version the previous one returned.
      await inFlight;
      return save(keepalive);
    }
    const state = store.getState();
    if (!pending(state)) return;
    const { actions } = state;
    const graph = toGraph(state.nodes, state.edges);
    const validation = validateGraph(graph);
    if (!validation.ok) {
      actions.saveFailed({ kind: "invalid", message: validation.problems[0].message });
      return;
    }
    const revision = state.revision;
    const body = JSON.stringify({ name: state.name, graph, version: state.version });
    actions.saveStarted();
    inFlight = request(state.workflowId, body, keepalive && body.length <= KEEPALIVE_BODY_LIMIT).then((outcome) => {
      inFlight = null;
      switch (outcome.kind) {
        case "saved":
          actions.saveSucceeded(revision, outcome.version);
          if (pending(store.getState())) schedule(delayMs);
          return;
        case "conflict":
          actions.saveFailed({
            kind: "conflict",
            message: "This workflow was changed in another tab or window. Reload to get the latest version.",
          });
          return;
        case "invalid":
          actions.saveFailed({ kind: "invalid", message: outcome.message });
          return;
        case "error":
          actions.saveFailed({ kind: "error", message: outcome.message });
          schedule(retryMs);
          return;
      }
    });
    return inFlight;
  };

  const request = async (workflowId: string, body: string, keepalive: boolean): Promise<SaveOutcome> => {
    let response: Response;
    try {
      response = await send(`/api/workflows/${encodeURIComponent(workflowId)}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body,
        keepalive,
      });
    } catch {
      return { kind: "error", message: "Could not reach the server; retrying." };
    }
    return readSaveResponse(response);
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.revision !== previous.revision && pending(state)) schedule(delayMs);
  });

  return {
    flush: ({ keepalive = false } = {}) => save(keepalive),
    dispose() {
      disposed = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}

type SaveOutcome =
  | { kind: "saved"; version: number }
  | { kind: "conflict" }
  | { kind: "invalid"; message: string }
  | { kind: "error"; message: string };

async function readSaveResponse(response: Response): Promise<SaveOutcome> {
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const version = isRecord(body) && isRecord(body.workflow) ? body.workflow.version : undefined;
    return typeof version === "number"
      ? { kind: "saved", version }
      : { kind: "error", message: "The server's answer was not understood; retrying." };
  }
  if (response.status === 409) return { kind: "conflict" };
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const details = isRecord(error.details) ? error.details : {};
  const firstProblem = Array.isArray(details.problems) && isRecord(details.problems[0]) ? details.problems[0].message : undefined;
  const message = typeof firstProblem === "string" ? firstProblem : typeof error.message === "string" ? error.message : null;
  if (response.status === 400) return { kind: "invalid", message: message ?? "The server refused this workflow." };
  return { kind: "error", message: message ?? `The server answered ${response.status}; retrying.` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
