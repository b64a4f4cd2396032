import { expect, test } from "@playwright/test";
import { runProbe } from "../scripts/probe";

// The hostile-input probe (scripts/probe.ts, also `npm run probe`) against the production build:
// a few hundred requests an attacker or a careless client would send, none answered with a 5xx.
test("hostile requests get clear 4xx answers, never a 500", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const lines: string[] = [];
  const result = await runProbe(baseURL!.replace("localhost", "127.0.0.1"), (line) => lines.push(line));
  expect(result.total).toBeGreaterThan(200);
  expect(result.failures, lines.join("\n")).toEqual([]);
  expect(Object.keys(result.byStatus).some((status) => status.startsWith("5"))).toBe(false);
});
