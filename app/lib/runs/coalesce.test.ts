import { describe, expect, it, vi } from "vitest";
import { deferred, settle, type Deferred } from "~workflow/test-support";
import { coalesce } from "./coalesce";

/** A coalesced loader whose calls each wait until the test settles them. */
function loaderOfPendingCalls() {
  const calls: Deferred<void>[] = [];
  const loader = coalesce(() => {
    const call = deferred();
    calls.push(call);
    return call.promise;
  });
  return { calls, loader };
}

describe("coalesce", () => {
  it("folds asks that arrive during a call into one more call after it", async () => {
    const { calls, loader } = loaderOfPendingCalls();
    loader.request();
    loader.request();
    loader.request();
    expect(calls).toHaveLength(1);
    calls[0].resolve();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1].resolve();
    await settle();
    expect(calls).toHaveLength(2);
    loader.request();
    expect(calls).toHaveLength(3);
  });

  it("keeps going after a failed call", async () => {
    const { calls, loader } = loaderOfPendingCalls();
    loader.request();
    loader.request();
    calls[0].reject(new Error("offline"));
    await settle();
    expect(calls).toHaveLength(2);
    calls[1].resolve();
    await settle();
    loader.request();
    expect(calls).toHaveLength(3);
  });
});

describe("coalesce with a minimum interval", () => {
  it("spaces the starts of calls at least that far apart", async () => {
    vi.useFakeTimers();
    try {
      const starts: number[] = [];
      const loader = coalesce(
        async () => {
          starts.push(Date.now());
        },
        { minIntervalMs: 1_000 },
      );
      loader.request();
      await vi.advanceTimersByTimeAsync(0);
      loader.request();
      loader.request();
      await vi.advanceTimersByTimeAsync(999);
      expect(starts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(starts).toHaveLength(2);
      expect(starts[1] - starts[0]).toBe(1_000);
    } finally {
      vi.useRealTimers();
    }
  });
});
