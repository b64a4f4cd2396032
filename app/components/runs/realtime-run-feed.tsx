import { useRealtimeRun } from "@trigger.dev/react-hooks";
import { useEffect, useLayoutEffect } from "react";
import { readRunProgress, type RunProgress } from "~/lib/run-progress";
import type { RealtimeAccess } from "~/lib/runs/run-api";

/** Wait before asking for the feed again after it failed (the server restarting, say). */
const FEED_RETRY_MS = 2_000;

// The run page also renders on the server, where a layout effect would only warn.
const useIsomorphicLayoutEffect = typeof document === "undefined" ? useEffect : useLayoutEffect;

interface RealtimeRunFeedProps {
  access: RealtimeAccess;
  onProgress: (progress: RunProgress) => void;
  /** The feed stopped (the server restarting, a token refused): called a moment later, to get a fresh token. */
  onDropped: () => void;
}

/**
 * Follows a running run through `useRealtimeRun` (the same subscription in both engine modes)
 * and hands each progress it publishes to `onProgress`. Where the token comes from, and how a
 * fresh one replaces it before it expires, is the caller's: the feed reopens with each new token.
 */
export function RealtimeRunFeed(props: RealtimeRunFeedProps) {
  // Keyed by token: the 4.8.3 client fixes its credentials when the subscription opens.
  return <Subscription key={props.access.accessToken} {...props} />;
}

function Subscription({ access, onProgress, onDropped }: RealtimeRunFeedProps) {
  const { run, error } = useRealtimeRun(access.runId, { accessToken: access.accessToken, baseURL: access.baseURL });
  const metadata = run?.metadata;

  // Before the browser paints: the nodes then show the news in the same frame, not one later.
  useIsomorphicLayoutEffect(() => {
    const progress = readRunProgress(metadata);
    if (progress) onProgress(progress);
  }, [metadata, onProgress]);

  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(onDropped, FEED_RETRY_MS);
    return () => clearTimeout(timer);
  }, [error, onDropped]);

  return null;
}
