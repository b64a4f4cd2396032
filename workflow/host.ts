import type { CachedExecution } from "./cache";
import type { Usage } from "./cost/usage";
import type { NodeParams, NodeType } from "./nodes/registry";
import type { NodeStatus, RunProgress } from "./run-progress";
import type { NodeInputs, NodeOutputs } from "./values";

export interface RunNodeRequest {
  runId: string;
  nodeId: string;
  nodeType: NodeType;
  /** The node's parameters with connected values merged in, already validated by its schema. */
  params: NodeParams<NodeType>;
  inputs: NodeInputs;
  /** Aborted when the run is cancelled; the execution should stop and reject. */
  signal: AbortSignal;
  /** Hears what a paid API call used (tokens, images, seconds), once per call, as the API reported it. */
  reportUsage?: (usage: Usage) => void;
}

/**
 * One state change of a node execution. Fields left out are unchanged; the engine sends every
 * field that belongs to the new state (the final update carries inputs, outputs or error, and times).
 */
export interface NodeRecordUpdate {
  runId: string;
  nodeId: string;
  status: NodeStatus;
  inputs?: NodeInputs;
  outputs?: NodeOutputs;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  fingerprint?: string;
  /** Set on a node that took its outputs from the cache: the execution (and its run) that made them. */
  cachedFromExecutionId?: string;
  cachedFromRunId?: string;
  /** What the execution's paid API calls used, and what that cost (null: price unknown). */
  usage?: Usage[];
  costUsd?: number | null;
}

/**
 * What the engine needs from the mode it runs in (embedded in the app server, or a Trigger.dev
 * orchestrator task). The core never touches the database or the SDK itself; tests use a fake.
 */
export interface RunHost {
  /** Executes one node (embedded: calls the executor in-process; Trigger.dev: triggers a child task). */
  runNode(request: RunNodeRequest): Promise<NodeOutputs>;
  /**
   * Persists a node's transition (its NodeExecution row). A run's writes (this and
   * `recordQueued`) take effect in the order they are called: the engine starts a node's
   * dependents before its end is saved, relying on their starts never landing before it.
   */
  recordNode(update: NodeRecordUpdate): Promise<void>;
  /**
   * Persists the queue a run starts (or resumes) with: these nodes queued, with whatever an
   * earlier attempt left cleared, as `recordNode` with status "queued" would for each, in one write.
   */
  recordQueued(queue: { runId: string; nodeIds: readonly string[] }): Promise<void>;
  /**
   * Publishes the whole progress object (Trigger.dev metadata / embedded publisher). Called after
   * every transition with a fresh object that is never mutated afterwards; implementations may
   * coalesce calls. The last call carries the run's final state.
   */
  reportProgress(progress: RunProgress): Promise<void>;
  /**
   * The run owner's most recent successful execution of this exact work (fingerprint) whose
   * outputs still exist, or null. Never another owner's. Called just before a node would execute.
   */
  findCachedExecution(fingerprint: string): Promise<CachedExecution | null>;
}
