import { performance } from "node:perf_hooks";
import { createSession } from "~/.server/auth.server";
import { db } from "~/.server/db.server";
import { createUser } from "~/.server/models/user.server";
import { loader as workflowsPageLoader } from "~/routes/workflows._index";
import { sampleWorkflowGraph } from "~workflow/sample-workflow";
import { percentile, round } from "./stats";

// The workflows page's loader (issue 12): a user with 500 workflows, each with 200 runs of
// nine node executions, through the real route. Each workflow's last run, its newest image and
// its sketch come from one statement, so the time follows the page's size, not the history's.

type Log = (line: string) => void;

const WORKFLOWS = 500;
const RUNS_PER_WORKFLOW = 200;
const SAMPLES = 100;

export async function runWorkflowsListBenchmark(log: Log) {
  const owner = await createUser({ email: "list-bench@example.com", password: "bench password" });
  if (!owner.ok) throw new Error("could not create the workflows list bench user");
  const ownerId = owner.user.id;
  const graph = JSON.stringify(sampleWorkflowGraph());

  log(`seeding ${WORKFLOWS} workflows with ${RUNS_PER_WORKFLOW} runs each`);
  await db.$executeRaw`
    INSERT INTO "Workflow" (id, "ownerId", name, graph, "updatedAt")
    SELECT 'bench_wf_' || w, ${ownerId}, 'Bench ' || w, ${graph}::jsonb, now() - (w || ' minutes')::interval
    FROM generate_series(1, ${WORKFLOWS}) AS w`;
  await db.$executeRaw`
    INSERT INTO "WorkflowRun" (id, "workflowId", "ownerId", scope, "requestedNodeIds", status, "graphSnapshot", "createdAt")
    SELECT 'bench_run_' || w || '_' || r, 'bench_wf_' || w, ${ownerId}, 'full', '{}', 'completed', '{}'::jsonb,
           now() - (r || ' seconds')::interval
    FROM generate_series(1, ${WORKFLOWS}) AS w, generate_series(1, ${RUNS_PER_WORKFLOW}) AS r`;
  await db.$executeRaw`
    INSERT INTO "NodeExecution" (id, "runId", "workflowId", "nodeId", "nodeType", status, outputs, "finishedAt")
    SELECT 'bench_ne_' || w || '_' || r || '_' || n, 'bench_run_' || w || '_' || r, 'bench_wf_' || w, 'node-' || n,
           'crop-image', 'success',
           jsonb_build_object('output', jsonb_build_object('kind', 'image', 'url', '/assets/bench_' || n, 'assetId', 'a', 'mime', 'image/png')),
           now() - (r || ' seconds')::interval
    FROM generate_series(1, ${WORKFLOWS}) AS w, generate_series(1, ${RUNS_PER_WORKFLOW}) AS r, generate_series(1, 9) AS n`;
  await db.$executeRaw`ANALYZE`;

  const cookie = (await createSession(ownerId)).split(";")[0];
  const load = async () => {
    const request = new Request("http://localhost/workflows", { headers: { Cookie: cookie } });
    const result = await workflowsPageLoader({ request, params: {}, context: {} });
    if (result.workflows.length !== WORKFLOWS + 1) throw new Error("the workflows page listed the wrong number of workflows");
  };

  for (let i = 0; i < 10; i++) await load(); // warm the connection pool and plan cache
  log(`timing ${SAMPLES} loads of the workflows page`);
  const timings: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await load();
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return {
    workflows_list_workflows: WORKFLOWS,
    workflows_list_p50_ms: round(percentile(timings, 0.5)),
    workflows_list_p95_ms: round(percentile(timings, 0.95)),
  };
}
