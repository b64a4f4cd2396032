import type { LlmTextChunk } from "~/lib/llm-text-stream";
import { isFinishedRunStatus, type RunProgress } from "~workflow/run-progress";
import { remember } from "~/.server/remember.server";

/** The latest state of one embedded run as watchers see it. */
export interface RunSnapshot {
  engineRunId: string;
  /** Null until the run reports for the first time. */
  progress: RunProgress | null;
  /** Increases with every report, so a long poll can ask for "anything after version n". */
  version: number;
  finished: boolean;
}

type Listener = (snapshot: RunSnapshot) => void;

/** The run's LLM text stream so far, as its realtime stream route replays and follows it. */
export interface TextLog {
  /** Every chunk in the order the nodes sent them; a chunk's index is its position here. */
  chunks: readonly LlmTextChunk[];
  /** The run has ended: no chunk will follow. */
  finished: boolean;
}

interface Entry {
  snapshot: RunSnapshot;
  listeners: Set<Listener>;
  text: LlmTextChunk[];
  textChars: number;
  /** Called on every chunk, on the run's end and when it is dropped. */
  textListeners: Set<() => void>;
  dropTimer?: ReturnType<typeof setTimeout>;
}

export interface RunEventsOptions {
  /** How long a finished run's final state stays available to late watchers (then the database answers). */
  retainFinishedMs?: number;
  /** Most finished runs kept at once; the oldest go first. */
  maxFinished?: number;
  /**
   * Most characters of LLM text kept per run. Past it, chunks are not kept: the live text stops
   * growing, and the node shows its full answer from its record once it ends.
   */
  maxTextChars?: number;
}

/**
 * The embedded engine's publisher: per engine run id, the latest progress and the watchers
 * notified on every report (the realtime route long-polls it), and the run's LLM text stream
 * (the stream route follows it). Memory stays bounded: a finished run's state is dropped after a
 * while, only so many finished runs are kept, and each keeps at most so much text.
 */
export class RunEvents {
  private readonly entries = new Map<string, Entry>();
  /** Finished runs in the order they finished. */
  private readonly finishedOrder = new Set<string>();
  private readonly retainFinishedMs: number;
  private readonly maxFinished: number;
  private readonly maxTextChars: number;

  constructor(options: RunEventsOptions = {}) {
    this.retainFinishedMs = options.retainFinishedMs ?? 10 * 60_000;
    this.maxFinished = options.maxFinished ?? 1_000;
    this.maxTextChars = options.maxTextChars ?? 4_000_000;
  }

  /** Announces a run that is about to execute, so watchers can wait for its first report. */
  open(engineRunId: string): void {
    if (!this.entries.has(engineRunId)) {
      this.entries.set(engineRunId, {
        snapshot: { engineRunId, progress: null, version: 0, finished: false },
        listeners: new Set(),
        text: [],
        textChars: 0,
        textListeners: new Set(),
      });
    }
  }

  publish(engineRunId: string, progress: RunProgress): void {
    this.open(engineRunId);
    const entry = this.entries.get(engineRunId)!;
    const finished = isFinishedRunStatus(progress.status);
    entry.snapshot = { engineRunId, progress, version: entry.snapshot.version + 1, finished };
    if (finished) this.retain(engineRunId, entry);
    for (const listener of [...entry.listeners]) listener(entry.snapshot);
    if (finished) notify(entry.textListeners);
  }

  /** Adds a piece of an LLM node's text to the run's text stream (a run this process does not execute has none). */
  appendText(engineRunId: string, chunk: LlmTextChunk): void {
    const entry = this.entries.get(engineRunId);
    if (!entry || entry.snapshot.finished || entry.textChars + chunk.text.length > this.maxTextChars) return;
    entry.text.push(chunk);
    entry.textChars += chunk.text.length;
    notify(entry.textListeners);
  }

  /** The run's text stream, or undefined for a run this process is not executing (or dropped). */
  textLog(engineRunId: string): TextLog | undefined {
    const entry = this.entries.get(engineRunId);
    return entry && { chunks: entry.text, finished: entry.snapshot.finished };
  }

  /**
   * Resolves once the run's text stream holds more than `afterCount` chunks, the run has ended or
   * been dropped, or `signal` aborts: whichever comes first.
   */
  async waitForText(engineRunId: string, afterCount: number, signal: AbortSignal): Promise<void> {
    const entry = this.entries.get(engineRunId);
    if (!entry || entry.text.length > afterCount || entry.snapshot.finished || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        entry.textListeners.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      entry.textListeners.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** The run's latest state, or undefined for a run this process is not executing (or dropped). */
  get(engineRunId: string): RunSnapshot | undefined {
    return this.entries.get(engineRunId)?.snapshot;
  }

  /**
   * Calls `listener` on every report of the run until the returned function is called. A run this
   * process does not know never reports (check `get` first); watching it creates nothing.
   */
  subscribe(engineRunId: string, listener: Listener): () => void {
    const entry = this.entries.get(engineRunId);
    if (!entry) return () => {};
    entry.listeners.add(listener);
    return () => {
      entry.listeners.delete(listener);
    };
  }

  /**
   * The first state newer than `afterVersion`: at once if there is one, else when the run next
   * reports. Resolves with the unchanged state when `signal` aborts (a long poll's timeout or a
   * closed connection), and with undefined for a run this process does not know.
   */
  async waitForUpdate(engineRunId: string, afterVersion: number, signal: AbortSignal): Promise<RunSnapshot | undefined> {
    const current = this.get(engineRunId);
    if (!current || current.version > afterVersion || current.finished || signal.aborted) return current;
    return new Promise((resolve) => {
      const done = (snapshot: RunSnapshot | undefined) => {
        unsubscribe();
        signal.removeEventListener("abort", onAbort);
        resolve(snapshot);
      };
      const onAbort = () => done(this.get(engineRunId));
      const unsubscribe = this.subscribe(engineRunId, (snapshot) => {
        if (snapshot.version > afterVersion) done(snapshot);
      });
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Forgets a run that will not report again (its engine stopped executing it). */
  close(engineRunId: string): void {
    this.drop(engineRunId);
  }

  private retain(engineRunId: string, entry: Entry): void {
    clearTimeout(entry.dropTimer);
    entry.dropTimer = setTimeout(() => this.drop(engineRunId), this.retainFinishedMs);
    // A pending drop must not keep the process alive.
    entry.dropTimer.unref();
    this.finishedOrder.delete(engineRunId);
    this.finishedOrder.add(engineRunId);
    while (this.finishedOrder.size > this.maxFinished) {
      const oldest = this.finishedOrder.values().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
  }

  private drop(engineRunId: string): void {
    const entry = this.entries.get(engineRunId);
    clearTimeout(entry?.dropTimer);
    this.entries.delete(engineRunId);
    this.finishedOrder.delete(engineRunId);
    if (entry) notify(entry.textListeners);
  }

  /** Runs currently known (for tests of the memory bound). */
  get size(): number {
    return this.entries.size;
  }
}

function notify(listeners: Set<() => void>): void {
  for (const listener of [...listeners]) listener();
}

/** The process's publisher, shared by the embedded engine and the realtime route. */
export const runEvents: RunEvents = remember("run-events", () => new RunEvents());
