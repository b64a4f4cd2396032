import { EventEmitter } from "node:events";
import { remember } from "~/.server/remember.server";

// Announces, within this process, that a run's share link was replaced or revoked, so realtime
// requests a visitor holds open under the old link end at once (authorize.server.ts). One
// emitter per process (remember): the routes and the realtime handlers must share it.

function emitter(): EventEmitter {
  return remember("share-events", () => {
    const events = new EventEmitter();
    // One listener per open visitor request: no leak to warn about.
    events.setMaxListeners(0);
    return events;
  });
}

export function shareLinkChanged(runId: string): void {
  emitter().emit(runId);
}

/** Calls `listener` when the run's share link changes; returns the unsubscribe. */
export function onShareLinkChanged(runId: string, listener: () => void): () => void {
  emitter().on(runId, listener);
  return () => emitter().off(runId, listener);
}
