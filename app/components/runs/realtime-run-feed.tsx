import type { AnyTask } from "@trigger.dev/core/v3";
import { useRealtimeRunWithStreams } from "@trigger.dev/react-hooks";
import { useEffect, useLayoutEffect, useState } from "react";
import { createTextFold, LLM_TEXT_STREAM_KEY, type NodeTexts, type RunStreams } from "~/lib/llm-text-stream";
import { readRunProgress, type RunProgress } from "~workflow/run-progress";
import { progressAfterEngineRunEnded } from "~/lib/runs/engine-run-end";
import type { RealtimeAccess } from "~/lib/runs/run-schemas";

/** Wait before asking for the feed again after it failed (the server restarting, say). */
const FEED_RETRY_MS = 2_000;

// The run page also renders on the server, where a layout effect would only warn.
const useIsomorphicLayoutEffect = typeof document === "undefined" ? useEffect : useLayoutEffect;

interface RealtimeRunFeedProps {
  access: RealtimeAccess;
  onProgress: (progress: RunProgress) => void;
  /** The LLM nodes' text so far, by node id, each time more of it arrives. */
  onText: (texts: NodeTexts) => void;
  /** The feed stopped (the server restarting, a token refused): called a moment later, to get a fresh token. */
  onDropped: () => void;
}

/**
 * Follows a running run through `useRealtimeRunWithStreams` (the same subscription in both engine
 * modes): hands each progress it publishes to `onProgress`, and its LLM text stream, folded into
 * texts by node, to `onText`. Where the token comes from, and how a fresh one replaces it before
 * it expires, is the caller's: the feed reopens with each new token.
 */
export function RealtimeRunFeed(props: RealtimeRunFeedProps) {
  // Keyed by token: the 4.8.3 client fixes its credentials when the subscription opens.
  return <Subscription key={props.access.accessToken} {...props} />;
}

function Subscription({ access, onProgress, onText, onDropped }: RealtimeRunFeedProps) {
  const { run, streams, error } = useRealtimeRunWithStreams<AnyTask, RunStreams>(access.runId, {
    accessToken: access.accessToken,
    baseURL: access.baseURL,
  });
  const metadata = run?.metadata;
  const engineStatus = run?.status;
  const engineError = run?.error?.message;
  const chunks = streams[LLM_TEXT_STREAM_KEY];
  // A new subscription replays the stream from its start, so each folds its own.
  const [foldTexts] = useState(createTextFold);

  // Before the browser paints: the nodes then show the news in the same frame, not one later.
  useIsomorphicLayoutEffect(() => {
    const progress = readRunProgress(metadata);
    // The orchestrator's own Trigger.dev run ended without its progress saying so (it crashed,
    // timed out or expired): that is the end of the run, and the server's records will agree.
    const ended = engineStatus ? progressAfterEngineRunEnded(progress?.runId ?? access.runId, progress, { status: engineStatus, errorMessage: engineError }, new Date()) : null;
    if (ended ?? progress) onProgress(ended ?? progress!);
  }, [metadata, engineStatus, engineError, access.runId, onProgress]);

  useIsomorphicLayoutEffect(() => {
    if (chunks) onText(foldTexts(chunks));
  }, [chunks, foldTexts, onText]);

  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(onDropped, FEED_RETRY_MS);
    return () => clearTimeout(timer);
  }, [error, onDropped]);

  return null;
}
