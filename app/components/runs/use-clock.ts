import { useEffect, useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False while the server renders and the browser hydrates, true after: text that depends on the
 * viewer's time zone or clock is rendered only then, so hydration sees the server's text.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** The time, ticking every `intervalMs` while `ticking` (a run's duration so far); otherwise the last tick. */
export function useNow(ticking: boolean, intervalMs = 1_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [ticking, intervalMs]);
  return now;
}
