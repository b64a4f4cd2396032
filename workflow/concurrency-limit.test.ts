import { describe, expect, it } from "vitest";
import { createConcurrencyLimit } from "./concurrency-limit";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe("createConcurrencyLimit", () => {
  it("runs at most max tasks at once and starts the waiting ones in order", async () => {
    const limit = createConcurrencyLimit(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const tasks = gates.map((gate, index) =>
      limit.run(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limit.waiting).toBe(2);
    gates[1].resolve();
    await tasks[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((gate) => gate.resolve());
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(limit.peak).toBe(2);
    expect(limit.active).toBe(0);
  });

  it("drops a waiting task whose signal aborts, and lets the next one in", async () => {
    const limit = createConcurrencyLimit(1);
    const gate = deferred();
    const first = limit.run(() => gate.promise);
    const controller = new AbortController();
    const cancelled = limit.run(async () => "never", controller.signal);
    const third = limit.run(async () => "third");
    controller.abort(new Error("gave up"));
    await expect(cancelled).rejects.toThrow("gave up");
    gate.resolve();
    await first;
    expect(await third).toBe("third");
  });

  it("frees its slot when a task fails", async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit.run(async () => "next")).toBe("next");
  });
});

describe("createConcurrencyLimit handing over", () => {
  it("gives a finished task's slot to the one waiting, not to a newcomer", async () => {
    const limit = createConcurrencyLimit(1);
    const gate = deferred();
    const order: string[] = [];
    const first = limit.run(() => gate.promise);
    const waiting = limit.run(async () => void order.push("waiting"));
    gate.resolve();
    await first;
    const newcomer = limit.run(async () => void order.push("newcomer"));
    await Promise.all([waiting, newcomer]);
    expect(order).toEqual(["waiting", "newcomer"]);
    expect(limit.peak).toBe(1);
  });
});
