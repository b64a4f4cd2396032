import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { metadata } from "@trigger.dev/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMetadataWriter } from "./metadata-writer";

const INTERVAL_MS = 80;

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createMetadataWriter", () => {
  it("sets every value at once but sends at most one flush per interval, the last value included", async () => {
    await runInMockTaskContext(async () => {
      const flush = vi.spyOn(metadata, "flush");
      const sentValues: unknown[] = [];
      flush.mockImplementation(async () => {
        sentValues.push(metadata.get("key"));
      });
      const writer = createMetadataWriter<number>("key", INTERVAL_MS);

      await writer.write(1);
      await writer.write(2);
      await writer.write(3);
      expect(metadata.get("key")).toBe(3);
      // The first write is sent at once; the next two wait for the interval and go out together.
      await vi.waitFor(() => expect(sentValues).toEqual([1]));
      await vi.waitFor(() => expect(sentValues).toEqual([1, 3]));
      await sleep(INTERVAL_MS * 2);
      expect(flush).toHaveBeenCalledTimes(2);
    });
  });

  it("sends a final value at once, after a flush still in flight, and cancels the scheduled one", async () => {
    await runInMockTaskContext(async () => {
      const sentValues: unknown[] = [];
      let releaseFirst = () => {};
      const flush = vi.spyOn(metadata, "flush").mockImplementationOnce(
        () =>
          new Promise<void>((resolve) => {
            releaseFirst = () => {
              sentValues.push("first flush");
              resolve();
            };
          }),
      );
      flush.mockImplementation(async () => {
        sentValues.push(metadata.get("key"));
      });
      const writer = createMetadataWriter<string>("key", 10_000);

      await writer.write("running");
      await writer.write("still running");
      const final = writer.write("completed", { final: true });
      let sent = false;
      void final.then(() => (sent = true));
      await sleep(10);
      expect(sent).toBe(false);

      releaseFirst();
      await final;
      expect(sentValues).toEqual(["first flush", "completed"]);
      await sleep(20);
      expect(flush).toHaveBeenCalledTimes(2);
    });
  });
});
