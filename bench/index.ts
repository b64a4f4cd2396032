/**
 * `npm run bench`: measures the embedded engine and the history loader on this machine and
 * prints one JSON object (`npm run bench -- engine`, `-- history`, `-- workflows`, `-- ui`, `-- cache` or `-- estimate` runs one part). Starts its
 * own throwaway embedded PostgreSQL and data directory, so it touches nothing else. Progress
 * goes to stderr; stdout carries only the result.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "../server/embedded-database";
import { migrate } from "../server/migrate";

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-bench-"));
  // PostgreSQL runs as another user when this runs as root.
  fs.chmodSync(dataDir, 0o755);
  const database = await startEmbeddedDatabase(dataDir);
  try {
    await migrate(database.url);
    // Set before the app's modules load: they read their configuration once.
    process.env.DATABASE_URL = database.url;
    process.env.WEFT_DATA_DIR = dataDir;
    // The engine figures run 50 runs of one user at once: the per-user cap is not what they measure.
    process.env.MAX_RUNS_IN_FLIGHT_PER_USER ??= "1000";
    const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
    const only = process.argv[2];
    const results = {
      ...(only === undefined || only === "engine" ? await (await import("./engine")).runBenchmarks(log) : {}),
      ...(only === undefined || only === "history" ? await (await import("./history")).runHistoryBenchmark(log) : {}),
      ...(only === undefined || only === "workflows" ? await (await import("./workflows-list")).runWorkflowsListBenchmark(log) : {}),
      ...(only === undefined || only === "ui" ? await (await import("./ui-latency")).runUiLatencyBenchmark(log) : {}),
      ...(only === undefined || only === "cache" ? await (await import("./cache")).runCacheBenchmark(log) : {}),
      ...(only === undefined || only === "estimate" ? (await import("./estimate")).runEstimateBenchmark(log) : {}),
    };
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    const { db } = await import("~/.server/db.server");
    await db.$disconnect();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
