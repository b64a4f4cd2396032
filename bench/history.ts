import { performance } from "node:perf_hooks";
import { db } from "~/.server/db.server";
import { createApiToken } from "~/.server/models/api-token.server";
import { createUser } from "~/.server/models/user.server";
import { createWorkflow } from "~/.server/models/workflow.server";
import { loader as listRunsLoader } from "~/routes/api.workflows.$workflowId.runs";
import { percentile, round } from "./stats";

// The history panel's loader (issue 5, "bench/"): `GET /api/workflows/:id/runs` for a workflow
// with 100k runs, first pages and deep pages, through the real route (auth, validation, query).

type Log = (line: string) => void;

const SEEDED_RUNS = 100_000;
const SAMPLES = 300;

export async function runHistoryBenchmark(log: Log) {
  const owner = await createUser({ email: "history-bench@example.com", password: "bench password" });
  if (!owner.ok) throw new Error("could not create the history bench user");
  const ownerId = owner.user.id;
  const workflow = await createWorkflow(ownerId, { name: "History bench", graph: { nodes: [], edges: [] } });
  // Another workflow of the same owner with as many runs, so the index has to pick one out.
  const other = await createWorkflow(ownerId, { name: "Other", graph: { nodes: [], edges: [] } });
  const { token } = await createApiToken(ownerId, "bench");

  log(`seeding ${SEEDED_RUNS} runs into each of two workflows`);
  for (const workflowId of [workflow.id, other.id]) {
    await db.$executeRaw`
      INSERT INTO "WorkflowRun" (id, "workflowId", "ownerId", scope, "requestedNodeIds", status, "graphSnapshot",
                                 "createdAt", "startedAt", "finishedAt")
      SELECT 'bench_' || ${workflowId} || '_' || n, ${workflowId}, ${ownerId}, 'full', '{}', 'completed', '{}'::jsonb,
             now() - (n || ' seconds')::interval, now() - (n || ' seconds')::interval,
             now() - (n || ' seconds')::interval + interval '3 seconds'
      FROM generate_series(1, ${SEEDED_RUNS}) AS n`;
  }
  await db.$executeRaw`ANALYZE "WorkflowRun"`;

  const request = (query: string) =>
    new Request(`http://localhost/api/workflows/${workflow.id}/runs${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  const load = async (query: string) => {
    const response = await listRunsLoader({ request: request(query), params: { workflowId: workflow.id }, context: {} });
    if (response.status !== 200) throw new Error(`history loader answered ${response.status}`);
    return (await response.json()) as { runs: unknown[]; nextCursor: string | null };
  };

  // Cursors spread over the whole history, to time deep pages as well as the first one.
  log("collecting cursors across the history");
  const cursors: string[] = [];
  let page = await load("?limit=100");
  while (page.nextCursor && cursors.length < 200) {
    cursors.push(page.nextCursor);
    for (let skip = 0; skip < 4 && page.nextCursor; skip++) page = await load(`?limit=100&cursor=${page.nextCursor}`);
  }

  for (let i = 0; i < 20; i++) await load("?limit=20"); // warm the connection pool and plan cache
  log(`timing ${SAMPLES} loads (first page and deep pages, 20 runs each)`);
  const timings: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const query = i % 2 === 0 ? "?limit=20" : `?limit=20&cursor=${cursors[i % cursors.length]}`;
    const started = performance.now();
    const result = await load(query);
    timings.push(performance.now() - started);
    if (result.runs.length !== 20) throw new Error("a history page came back short");
  }
  timings.sort((a, b) => a - b);
  return {
    history_runs_seeded: SEEDED_RUNS,
    history_p50_ms: round(percentile(timings, 0.5)),
    history_p95_ms: round(percentile(timings, 0.95)),
  };
}
