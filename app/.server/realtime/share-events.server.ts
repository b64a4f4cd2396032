import { EventEmitter } from "node:events";

// Announces, within this process, that a run's share link was replaced or revoked, so realtime
// requests a visitor holds open under the old link end at once (authorize.server.ts). Kept on
// globalThis: in development Vite may evaluate this module again, and the routes and the
// realtime handlers must share one emitter.

const globalForShares = globalThis as unknown as { weftShareEvents?: EventEmitter };

function emitter(): EventEmitter {
  if (!globalForShares.weftShareEvents) {
    globalForShares.weftShareEvents = new EventEmitter();
    // One listener per open visitor request: no leak to warn about.
    globalForShares.weftShareEvents.setMaxListeners(0);
  }
  return globalForShares.weftShareEvents;
}

export function shareLinkChanged(runId: string): void {
  emitter().emit(runId);
}

/** Calls `listener` when the run's share link changes; returns the unsubscribe. */
export function onShareLinkChanged(runId: string, listener: () => void): () => void {
  emitter().on(runId, listener);
  return () => emitter().off(runId, listener);
}
