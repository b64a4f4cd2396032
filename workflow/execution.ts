import type { Usage } from "./cost/usage";
import type { ModelCatalog } from "./gemini-models";
import type { NodeParams, NodeType } from "./nodes/registry";
import type { MediaKind, MediaValue, NodeInputs, NodeOutputs } from "./values";

/** A file an executor made, with its picture size when the executor knows it (storing it then reads nothing back). */
export interface OutputFile {
  path: string;
  mime: string;
  kind: MediaKind;
  width?: number;
  height?: number;
}

/**
 * Storage as the executors see it. Implemented over local disk or S3 by the app (and by
 * Trigger.dev workers); executors never see where bytes live.
 */
export interface MediaStore {
  /** The run owner's asset with this id, or a NodeError when it is missing or someone else's. */
  getAsset(assetId: string, kind: MediaKind): Promise<MediaValue>;
  /** A local file holding the asset's bytes (downloaded to a temporary file when remote). */
  localPath(media: MediaValue): Promise<string>;
  /** Stores a file an executor produced as a new asset of the run's owner. */
  saveFile(file: OutputFile): Promise<MediaValue>;
}

export interface LlmSettings {
  apiKey: string | undefined;
  /** Another Gemini endpoint (tests, proxies); undefined = Google's. */
  baseUrl: string | undefined;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /**
   * The models the key can use (the app's model catalog), consulted before calling Gemini so a
   * node set to a retired model fails at once with the replacement named. Absent: not checked.
   */
  catalog?: () => Promise<ModelCatalog>;
  /** Long-running generations (Veo): how often to ask, and how long to wait in all. Absent: 10 s and 15 min. */
  operationPolling?: { intervalMs: number; timeoutMs: number };
}

/**
 * State an executor keeps across attempts of the same node execution (a process killed and the
 * run resumed, a task retried), so long-running work is found again instead of paid for twice.
 * Each host stores it with the node execution; `save` resolves once it is durable.
 */
export interface NodeCheckpoint {
  load(): Promise<unknown>;
  save(state: unknown): Promise<void>;
}

export interface ExecutionContext<K extends NodeType> {
  nodeId: string;
  params: NodeParams<K>;
  inputs: NodeInputs;
  signal: AbortSignal;
  media: MediaStore;
  llm: LlmSettings;
  /** Streams partial text (LLM tokens) while the node runs. */
  onText?: (textSoFar: string) => void;
  checkpoint: NodeCheckpoint;
  /**
   * Waits between polls of long-running work; rejects with an AbortError when the signal fires.
   * Embedded: a timer. Trigger.dev: a checkpointed `wait.for`, so a waiting task costs nothing.
   */
  wait(ms: number): Promise<void>;
  /**
   * Every executor that calls a paid API reports what each call used, from the API's own response
   * (usageMetadata, images made, seconds of video), so the run can price it and enforce its cap.
   */
  reportUsage?: (usage: Usage) => void;
}

export type Executor<K extends NodeType> = (context: ExecutionContext<K>) => Promise<NodeOutputs>;

/** The executors, one per node type: a type without one is a compile error. */
export type ExecutorMap = { [K in NodeType]: Executor<K> };

/** An error meant for the person looking at the node: its message is shown as is. */
export class NodeError extends Error {
  constructor(
    message: string,
    /** Whether trying again might succeed (rate limits, 5xx), for task-level retries. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = "NodeError";
  }
}
