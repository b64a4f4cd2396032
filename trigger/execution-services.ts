import { llmSettings } from "~/.server/llm-settings.server";
import { applyFfmpegLimits } from "~/.server/media-limits.server";
import { createMediaStore } from "~/.server/media-store.server";
import { nodeCheckpoint } from "~/.server/engine/run-store.server";
import type { ExecutionServices } from "~workflow/run-node";

/**
 * What executors get in a task run: the run owner's files, Gemini settings from the environment,
 * and checkpoints in the node's NodeExecution row, so a retried attempt finds what an earlier one started.
 */
export function executionServices(ownerId: string): ExecutionServices {
  applyFfmpegLimits();
  return { media: createMediaStore(ownerId), llm: llmSettings(), checkpointFor: ({ runId, nodeId }) => nodeCheckpoint(runId, nodeId) };
}
