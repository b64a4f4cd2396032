import { metadata } from "@trigger.dev/sdk";

type MetadataValue = Parameters<typeof metadata.set>[1];

export interface MetadataWriter<T extends MetadataValue> {
  /**
   * Sets the key in the current run's metadata. It reaches Trigger.dev at most once per interval
   * (the latest value always goes out); `final` sends it at once and resolves when it was sent.
   */
  write(value: T, options?: { final?: boolean }): Promise<void>;
  /** Drops a scheduled send; whatever is still unsent goes out with the run's completion. */
  dispose(): void;
}

/**
 * One metadata key of the current run, sent throttled. `metadata.set` only changes the run's copy
 * in memory; the SDK sends changes about once a second on its own. Flushing on a timer of our own
 * shows changes sooner without an API call per change.
 */
export function createMetadataWriter<T extends MetadataValue>(key: string, intervalMs: number): MetadataWriter<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let sending: Promise<void> = Promise.resolve();

  function send(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    lastSentAt = performance.now();
    // One flush at a time: the SDK ignores a flush asked for while another is in flight, which
    // would leave the newest value unsent until its next periodic flush.
    sending = sending.then(() => metadata.flush()).catch(() => undefined);
    return sending;
  }

  return {
    write(value, { final = false } = {}) {
      metadata.set(key, value);
      if (final) return send();
      if (timer === undefined) {
        const wait = lastSentAt + intervalMs - performance.now();
        if (wait <= 0) void send();
        else timer = setTimeout(() => void send(), wait);
      }
      return Promise.resolve();
    },
    dispose() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
