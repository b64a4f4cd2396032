import { performance } from "node:perf_hooks";
import { db } from "~/.server/db.server";
import { createEmbeddedEngine } from "~/.server/engine/embedded-engine.server";
import { createRun } from "~/.server/models/run.server";
import { createUser } from "~/.server/models/user.server";
import { startGeminiStub } from "~test/gemini-stub";
import { round } from "./stats";

// The output cache's figures (issue 13, ADR 016): a second run of the unchanged sample should
// make no Gemini call (cache_rerun_paid_calls, goal 0) and take a small part of the first run's
// wall time (cache_rerun_ratio, goal ≤ 0.1).

type Log = (line: string) => void;

export async function runCacheBenchmark(log: Log) {
  // A user of its own: nothing another part ran may already sit in its cache.
  const owner = await createUser({ email: "bench-cache@example.com", password: "bench password" });
  if (!owner.ok) throw new Error("could not create the cache bench user");
  const ownerId = owner.user.id;
  const stub = await startGeminiStub();
  const engine = createEmbeddedEngine({ concurrency: 4, llm: { apiKey: "bench", baseUrl: stub.baseUrl, timeoutMs: 60_000 } });
  try {
    const workflow = await db.workflow.findFirstOrThrow({ where: { ownerId, name: "Product Marketing Kit" }, select: { id: true } });
    const timeRun = async () => {
      const started = performance.now();
      const result = await createRun(ownerId, workflow.id, { scope: "full" }, engine);
      if (result.status !== "ok") throw new Error(`sample run refused: ${JSON.stringify(result)}`);
      await engine.whenSettled(result.started.run.id);
      const elapsed = performance.now() - started;
      const run = await db.workflowRun.findUniqueOrThrow({ where: { id: result.started.run.id }, select: { status: true } });
      if (run.status !== "completed") throw new Error(`the sample run ended ${run.status}`);
      return elapsed;
    };
    log("sample run, then the same again from the cache");
    const firstMs = await timeRun();
    const callsBefore = stub.requests.length;
    const secondMs = await timeRun();
    return {
      cache_rerun_paid_calls: stub.requests.length - callsBefore,
      cache_rerun_ratio: round(secondMs / firstMs),
      cache_first_run_ms: round(firstMs),
      cache_rerun_ms: round(secondMs),
    };
  } finally {
    await engine.stop();
    await stub.close();
  }
}
