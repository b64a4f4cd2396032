import type { TaskNodeType } from "~workflow/nodes/registry";
import type { ChildRunApi, ChildRunUpdate } from "./child-runs";
import type { NodeTaskPayload } from "./node-task";

// A stand-in for the calls the orchestrator makes to Trigger.dev's servers (trigger a child,
// follow it over Realtime, cancel it), for the orchestrator's tests: each child run ends when
// the test says so, and watches behave like a tag subscription (current state first, then changes).

type Options = Parameters<ChildRunApi["trigger"]>[2];
type Fields = Omit<ChildRunUpdate, "id" | "status" | "isSuccess" | "isFailed" | "isCancelled">;

export class FakeChildRun {
  constructor(
    private readonly world: FakeChildRuns,
    readonly id: string,
    readonly taskId: TaskNodeType,
    readonly payload: NodeTaskPayload,
    readonly options: Options,
  ) {}

  /** Completes with these outputs, as a node task whose node used nothing paid returns them. */
  succeed(outputs: Record<string, unknown>) {
    this.complete({ outputs, usage: [] });
  }

  /** Completes with whatever a task returned, through JSON as Realtime delivers it. */
  complete(output: unknown) {
    this.world.publish(this, "COMPLETED", { output: JSON.parse(JSON.stringify(output)) });
  }

  fail(error: { name?: string; message: string }) {
    this.world.publish(this, "FAILED", { error });
  }

  cancel() {
    this.world.publish(this, "CANCELED");
  }
}

/** Child runs that finish when a test says so, watched the way Realtime delivers them. */
export class FakeChildRuns implements ChildRunApi {
  runs: FakeChildRun[] = [];
  cancelled: string[] = [];
  watchesOpened = 0;
  private updates: { tags: string[]; update: ChildRunUpdate }[] = [];
  private wakers = new Set<() => void>();
  private connection = 0;

  reset() {
    this.runs = [];
    this.cancelled = [];
    this.watchesOpened = 0;
    this.updates = [];
  }

  async trigger(taskId: TaskNodeType, payload: NodeTaskPayload, options: Options) {
    const run = new FakeChildRun(this, `run_child_${this.runs.length + 1}`, taskId, payload, options);
    this.runs.push(run);
    this.publish(run, "QUEUED");
    return { id: run.id };
  }

  /** Like a tag subscription: each run's current state first, then every change, until aborted or dropped. */
  async *watch(tag: string, signal: AbortSignal): AsyncGenerator<ChildRunUpdate> {
    this.watchesOpened++;
    const connection = this.connection;
    let seen = this.updates.length;
    const current = new Map<string, ChildRunUpdate>();
    for (const { tags, update } of this.updates.slice(0, seen)) if (tags.includes(tag)) current.set(update.id, update);
    yield* current.values();
    while (!signal.aborted && connection === this.connection) {
      const next = this.updates[seen];
      if (next) {
        seen++;
        if (next.tags.includes(tag)) yield next.update;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wakers.add(resolve);
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
  }

  async cancel(runId: string) {
    this.cancelled.push(runId);
    const run = this.runs.find((candidate) => candidate.id === runId);
    if (!run) throw new Error(`No child run ${runId}`);
    run.cancel();
  }

  /** Ends every open watch, as a dropped connection would. */
  dropWatches() {
    this.connection++;
    this.wake();
  }

  find(nodeId: string) {
    return this.runs.find((run) => run.payload.nodeId === nodeId);
  }

  publish(run: FakeChildRun, status: string, fields: Fields = {}) {
    const update = {
      id: run.id,
      status,
      isSuccess: status === "COMPLETED",
      isFailed: status === "FAILED",
      isCancelled: status === "CANCELED",
      ...fields,
    };
    this.updates.push({ tags: run.options.tags, update });
    this.wake();
  }

  private wake() {
    for (const resolve of this.wakers) resolve();
    this.wakers.clear();
  }
}

/** The one instance the tests and the mocked child-runs module share. */
export const fakeChildRuns = new FakeChildRuns();
