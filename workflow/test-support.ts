import type { Graph, GraphEdge, GraphNode } from "./graph";
import type { NodeType } from "./nodes/registry";
import type { NodeStatus, RunProgress } from "./run-progress";
import type { CachedExecution } from "./cache";
import type { NodeRecordUpdate, RunNodeRequest, RunHost } from "./host";
import type { MediaValue, NodeOutputs } from "./values";

// Helpers for the workflow core's unit tests: graph builders and a fake host whose executions
// finish exactly when a test says so.

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (the fake host answers without timers). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function node(id: string, type: NodeType, data: Record<string, unknown> = {}): GraphNode {
  return { id, type, position: { x: 0, y: 0 }, data };
}

export function edge(source: string, sourceHandle: string, target: string, targetHandle: string): GraphEdge {
  return { id: `${source}.${sourceHandle}->${target}.${targetHandle}`, source, sourceHandle, target, targetHandle };
}

export function graphOf(nodes: GraphNode[], edges: GraphEdge[] = []): Graph {
  return { nodes, edges };
}

/** A Run LLM node with its user message typed, so it runs without any connection. */
export function llm(id: string, userMessage = `message for ${id}`): GraphNode {
  return node(id, "run-llm", { user_message: userMessage });
}

export function media(name: string, kind: MediaValue["kind"] = "image", sha256 = `sha-${name}`): MediaValue {
  return { kind, assetId: `asset-${name}`, url: `/assets/asset-${name}`, mime: kind === "image" ? "image/png" : "video/mp4", sha256 };
}

type Behaviour = (request: RunNodeRequest) => Promise<NodeOutputs>;

/** What a node of each type yields when a test does not say otherwise. */
export function defaultOutputs(request: RunNodeRequest): NodeOutputs {
  const params: Record<string, unknown> = request.params;
  switch (request.nodeType) {
    case "text":
      return { text: String(params.text) };
    case "upload-image":
      return { image: media(`upload-${request.nodeId}`) };
    case "upload-video":
      return { video: media(`upload-${request.nodeId}`, "video") };
    case "run-llm":
      return { output: `${request.nodeId} answered` };
    case "generate-image":
      return { image: media(`generated-${request.nodeId}`) };
    case "crop-image":
    case "extract-frame":
    case "resize-image":
      return { output: media(`output-${request.nodeId}`) };
    case "trim-video":
    case "concat-videos":
      return { output: media(`output-${request.nodeId}`, "video") };
    case "generate-video":
      return { video: media(`output-${request.nodeId}`, "video") };
  }
}

/** Rejects once the execution's signal is aborted, as a well-behaved executor does. */
export function untilAborted(request: RunNodeRequest): Promise<NodeOutputs> {
  return new Promise((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}

export class FakeHost implements RunHost {
  readonly requests: RunNodeRequest[] = [];
  readonly records: NodeRecordUpdate[] = [];
  readonly reports: RunProgress[] = [];
  /** "start:<id>" when an execution begins and "end:<id>" when it settles, in order. */
  readonly log: string[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly startWaiters = new Map<string, Deferred<RunNodeRequest>>();
  /** Fingerprints the scheduler asked the cache for, in order. */
  readonly lookups: string[] = [];
  /** What the cache holds, by fingerprint; tests fill it. */
  readonly cache = new Map<string, CachedExecution>();

  /** The node's execution finishes when the test resolves (default outputs) or rejects the result. */
  hold(nodeId: string): Deferred<NodeOutputs | void> {
    const control = deferred<NodeOutputs | void>();
    this.behave(nodeId, async (request) => (await control.promise) ?? defaultOutputs(request));
    return control;
  }

  behave(nodeId: string, behaviour: Behaviour): void {
    this.behaviours.set(nodeId, behaviour);
  }

  fail(nodeId: string, error: unknown): void {
    this.behave(nodeId, () => Promise.reject(error));
  }

  /** Resolves with the request once the node's execution has begun. */
  started(nodeId: string): Promise<RunNodeRequest> {
    const request = this.requests.find((candidate) => candidate.nodeId === nodeId);
    if (request) return Promise.resolve(request);
    const waiter = this.startWaiters.get(nodeId) ?? deferred<RunNodeRequest>();
    this.startWaiters.set(nodeId, waiter);
    return waiter.promise;
  }

  hasStarted(nodeId: string): boolean {
    return this.log.includes(`start:${nodeId}`);
  }

  executedNodeIds(): string[] {
    return this.requests.map((request) => request.nodeId);
  }

  /** The statuses recorded for a node, in order. */
  statusesOf(nodeId: string): NodeStatus[] {
    return this.records.filter((record) => record.nodeId === nodeId).map((record) => record.status);
  }

  lastReport(): RunProgress {
    const report = this.reports.at(-1);
    if (!report) throw new Error("nothing was reported");
    return report;
  }

  async runNode(request: RunNodeRequest): Promise<NodeOutputs> {
    this.requests.push(request);
    this.log.push(`start:${request.nodeId}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.startWaiters.get(request.nodeId)?.resolve(request);
    try {
      const behaviour = this.behaviours.get(request.nodeId);
      return behaviour ? await behaviour(request) : defaultOutputs(request);
    } finally {
      this.inFlight--;
      this.log.push(`end:${request.nodeId}`);
    }
  }

  async recordNode(update: NodeRecordUpdate): Promise<void> {
    this.records.push(update);
  }

  async recordQueued({ runId, nodeIds }: { runId: string; nodeIds: readonly string[] }): Promise<void> {
    for (const nodeId of nodeIds) this.records.push({ runId, nodeId, status: "queued" });
  }

  async reportProgress(progress: RunProgress): Promise<void> {
    this.reports.push(progress);
  }

  async findCachedExecution(fingerprint: string): Promise<CachedExecution | null> {
    this.lookups.push(fingerprint);
    return this.cache.get(fingerprint) ?? null;
  }
}
