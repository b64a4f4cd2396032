import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { db } from "~/.server/db.server";
import { createEmbeddedEngine, type EmbeddedEngine } from "~/.server/engine/embedded-engine.server";
import { createRun } from "~/.server/models/run.server";
import { createUser } from "~/.server/models/user.server";
import { startGeminiStub, textReply, type GeminiStub } from "~test/gemini-stub";
import { median, round } from "./stats";

// The output cache's figures (issue 13, ADR 016): a second run of the unchanged sample should
// make no Gemini call (cache_rerun_paid_calls, goal 0) and take a small part of the first run's
// wall time (cache_rerun_ratio, goal ≤ 0.1). Medians over pairs: one pair's two runs are single
// samples on a noisy machine, and the process's very first run also pays for loading modules.
//
// The ratio is what a user sees, so the first run waits for Gemini as long as the real service
// makes it wait: the stub answers at GEMINI_PACE. The same pairs against a stub that answers at
// once give `…_instant_stub`: the cached run against an uncached run that costs only the engine,
// ffmpeg and the database (the fixed cost of a run, which the cache cannot remove).

type Log = (line: string) => void;

/** Pairs of runs (first, then again from the cache), each pair for a user of its own. */
const PAIRS = 3;

/**
 * How fast Gemini 3 Flash answers, from third-party speed tests (checked 2026-12-03:
 * mail.zapsas.tech/article/0005-gemini-3-flash-speed-test, median time to first token 1.11 s,
 * 218 output tokens/s; humai.blog's 2026 comparison, end-to-end 1–3 s for fast models). Gemini
 * streams chunks of several tokens; 20 events of 10 tokens at 218 tokens/s is one every 46 ms.
 */
const GEMINI_PACE = { firstTokenDelayMs: 1_100, chunks: 20, chunkDelayMs: 46 } as const;

export async function runCacheBenchmark(log: Log) {
  const paced = await measurePairs(log, "paced like Gemini", (stub) =>
    stub.program(
      textReply(Array.from({ length: GEMINI_PACE.chunks }, (_, index) => `chunk ${index} of a paced answer. `), {
        firstTokenDelayMs: GEMINI_PACE.firstTokenDelayMs,
        tokenDelayMs: GEMINI_PACE.chunkDelayMs,
      }),
    ),
  );
  const instant = await measurePairs(log, "instant stub", () => {});
  return {
    cache_rerun_paid_calls: Math.max(paced.paidCalls, instant.paidCalls),
    cache_rerun_ratio: round(paced.rerunMs / paced.firstMs),
    cache_first_run_ms: round(paced.firstMs),
    cache_rerun_ms: round(paced.rerunMs),
    cache_rerun_ratio_instant_stub: round(instant.rerunMs / instant.firstMs),
    cache_first_run_ms_instant_stub: round(instant.firstMs),
    cache_rerun_ms_instant_stub: round(instant.rerunMs),
  };
}

/** PAIRS pairs of sample runs against a stub set up by `configure`: median times and the most calls a second run made. */
async function measurePairs(log: Log, label: string, configure: (stub: GeminiStub) => void) {
  const stub = await startGeminiStub();
  configure(stub);
  const engine = createEmbeddedEngine({ concurrency: 4, llm: { apiKey: "bench", baseUrl: stub.baseUrl, timeoutMs: 60_000 } });
  try {
    const firstRuns: number[] = [];
    const reruns: number[] = [];
    let paidCalls = 0;
    for (let pair = 1; pair <= PAIRS; pair++) {
      log(`sample run, then the same again from the cache (${label}, ${pair}/${PAIRS})`);
      // A user of its own: nothing another pair or part ran may already sit in its cache.
      const owner = await createUser({ email: `bench-cache-${randomUUID()}@example.com`, password: "bench password" });
      if (!owner.ok) throw new Error("could not create a cache bench user");
      const ownerId = owner.user.id;
      const workflow = await db.workflow.findFirstOrThrow({ where: { ownerId, name: "Product Marketing Kit" }, select: { id: true } });
      firstRuns.push(await timeRun(engine, ownerId, workflow.id));
      const callsBefore = stub.requests.length;
      reruns.push(await timeRun(engine, ownerId, workflow.id));
      paidCalls = Math.max(paidCalls, stub.requests.length - callsBefore);
    }
    return { firstMs: median(firstRuns), rerunMs: median(reruns), paidCalls };
  } finally {
    await engine.stop();
    await stub.close();
  }
}

/** Wall time of one run of the sample, from the request to its end, checked to have completed. */
async function timeRun(engine: EmbeddedEngine, ownerId: string, workflowId: string): Promise<number> {
  const started = performance.now();
  const result = await createRun(ownerId, workflowId, { scope: "full" }, engine);
  if (result.status !== "ok") throw new Error(`sample run refused: ${JSON.stringify(result)}`);
  await engine.whenSettled(result.started.run.id);
  const elapsed = performance.now() - started;
  const run = await db.workflowRun.findUniqueOrThrow({ where: { id: result.started.run.id }, select: { status: true } });
  if (run.status !== "completed") throw new Error(`the sample run ended ${run.status}`);
  return elapsed;
}
