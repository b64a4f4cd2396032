/**
 * Runs `task` when asked, one call at a time and at most one start per `minIntervalMs`: asks
 * that arrive meanwhile are folded into one more call. Results therefore arrive in order, and a
 * burst of asks (many nodes ending at once) costs two calls, not one per ask.
 */
export function coalesce(task: () => Promise<unknown>, { minIntervalMs = 0 } = {}): { request(): void } {
  let running = false;
  let again = false;
  let lastStart = Number.NEGATIVE_INFINITY;

  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        const wait = lastStart + minIntervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastStart = Date.now();
        await task().catch(() => {});
      } while (again);
    } finally {
      running = false;
    }
  };

  return {
    request() {
      if (running) again = true;
      else void run();
    },
  };
}
