import type { NodeParams, NodeType } from "../app/lib/nodes/registry";
import type { ModelCatalog } from "./gemini-models";

/** A file produced or uploaded in Weft, referenced by its asset id; bytes live in storage. */
export interface MediaValue {
  kind: "image" | "video";
  assetId: string;
  /** Where the owner's browser fetches it (served by the app, owner-only). */
  url: string;
  mime: string;
  sha256: string;
  /**
   * Facts about the file read when it was stored, so executors need not run ffprobe again.
   * Optional: values stored before they were recorded lack them, and executors probe the file then.
   */
  width?: number;
  height?: number;
  /** Videos: the length in seconds, when the file states it. */
  durationSeconds?: number;
  /** Videos: frames per second, when the file states it. */
  frameRate?: number;
}

/** A file an executor made, with its picture size when the executor knows it (storing it then reads nothing back). */
export interface OutputFile {
  path: string;
  mime: string;
  kind: MediaValue["kind"];
  width?: number;
  height?: number;
}

/** What travels along an edge: text, a number, or a media file. */
export type PortValue = string | number | MediaValue;

/** A node's outputs, by output port id. */
export type NodeOutputs = Record<string, PortValue>;

/**
 * A node's resolved inputs, by input port id: the upstream value for a connected port (an
 * array for ports that take many edges), otherwise the value typed on the node.
 */
export type NodeInputs = Record<string, PortValue | PortValue[] | undefined>;

/**
 * Storage as the executors see it. Implemented over local disk or S3 by the app (and by
 * Trigger.dev workers); executors never see where bytes live.
 */
export interface MediaStore {
  /** The run owner's asset with this id, or a NodeError when it is missing or someone else's. */
  getAsset(assetId: string, kind: MediaValue["kind"]): Promise<MediaValue>;
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

/** Whether a port value (or anything read back from JSON) is a media file rather than text or a number. */
export function isMediaValue(value: unknown): value is MediaValue {
  if (typeof value !== "object" || value === null) return false;
  const media = value as Record<string, unknown>;
  return (
    (media.kind === "image" || media.kind === "video") &&
    typeof media.assetId === "string" &&
    typeof media.url === "string" &&
    typeof media.sha256 === "string"
  );
}
