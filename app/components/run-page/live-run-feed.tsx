import { useRealtimeRun } from "@trigger.dev/react-hooks";
import { useEffect } from "react";
import { readRunProgress, type RunProgress } from "~/lib/run-progress";
import type { RealtimeAccess } from "~/lib/runs/run-api";

/**
 * Follows a running run through `useRealtimeRun` (the same subscription in both engine modes)
 * and hands each progress it publishes to `onProgress`. Mount it keyed by the access token: the
 * pinned client fixes its credentials when the subscription opens, so a fresh token needs a
 * fresh subscription.
 */
export function LiveRunFeed({
  access,
  onProgress,
  onError,
}: {
  access: RealtimeAccess;
  onProgress: (progress: RunProgress) => void;
  /** The feed stopped (the server restarting, a token refused): the page gets a fresh token. */
  onError: () => void;
}) {
  const { run, error } = useRealtimeRun(access.runId, { accessToken: access.accessToken, baseURL: access.baseURL });
  const metadata = run?.metadata;

  useEffect(() => {
    const progress = readRunProgress(metadata);
    if (progress) onProgress(progress);
  }, [metadata, onProgress]);

  useEffect(() => {
    if (error) onError();
  }, [error, onError]);

  return null;
}
