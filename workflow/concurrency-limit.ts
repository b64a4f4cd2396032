/**
 * At most `max` tasks at once; the rest wait in arrival order. Used to keep work that occupies a
 * thread or a process (password hashes on libuv's pool, ffmpeg processes) from taking the whole
 * machine however many requests ask for it.
 */
export interface ConcurrencyLimit {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks running now and waiting now. */
  readonly active: number;
  readonly waiting: number;
  /** The most tasks that ever ran at once: what tests check the limit by. */
  readonly peak: number;
  max: number;
}

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  const queue: Array<() => void> = [];
  let active = 0;
  let peak = 0;
  const limit: ConcurrencyLimit = {
    max,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    get peak() {
      return peak;
    },
    async run(task, signal) {
      // A finishing task hands its slot straight to the next in line, so a newcomer arriving
      // in between cannot take it too.
      if (active >= limit.max) await waitForTurn(signal);
      else active += 1;
      peak = Math.max(peak, active);
      try {
        return await task();
      } finally {
        const next = queue.shift();
        if (next) next();
        else active -= 1;
      }
    },
  };

  function waitForTurn(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      signal?.throwIfAborted();
      const turn = () => {
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      const abort = () => {
        const index = queue.indexOf(turn);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      };
      queue.push(turn);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }
  return limit;
}
