import { chromium, type Page } from "@playwright/test";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ALWAYS_FRESH_KEY, type Graph, type GraphEdge, type GraphNode } from "~workflow/graph";
import { freePort, stopEmbeddedDatabaseIn } from "../server/embedded-database";
import { percentile, round } from "./stats";
import { startGeminiStub, textReply } from "~test/gemini-stub";

// Browser-visible latency (issue 5, "bench/"): from a node's status change in the engine (the
// startedAt/finishedAt the engine records) to the editor's DOM showing it (a MutationObserver on
// each node's data-run-status), over a run of a long chain of LLM nodes whose Gemini replies are
// spread out by the stub. Runs the production build (`npm run build` first) in real Chromium.

type Log = (line: string) => void;

const CHAIN_LENGTH = 150; // × (running, success) = 300 status changes, a few coalesced when they come close together
/**
 * Runs of the chain pooled into one figure: the machine's load drifts by tens of milliseconds
 * from one minute to the next, and three runs spread over it give a steadier p50 than one.
 */
const ROUNDS = 3;
/**
 * The larger graph (`…_500`): does applying a change cost more when the canvas holds more
 * nodes? 500 nodes, the most a graph may have by default: the text node and 499 LLM nodes.
 */
const LARGE_CHAIN_LENGTH = 499;
const LARGE_ROUNDS = 2;
const GEMINI_KEY = "bench-key";

export async function runUiLatencyBenchmark(log: Log) {
  if (!fs.existsSync("build/server.js")) throw new Error("Run `npm run build` first: this bench serves the production build.");
  const stub = await startGeminiStub({ apiKey: GEMINI_KEY });
  stub.program(textReply(["Fine ", "words."], { tokenDelayMs: 15 }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-ui-bench-"));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const server = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      WEFT_DATA_DIR: dataDir,
      DATABASE_URL: "",
      GEMINI_API_KEY: GEMINI_KEY,
      GEMINI_BASE_URL: stub.baseUrl,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const baseURL = `http://localhost:${port}`;
    await waitForHealthy(baseURL);
    const page = await browser.newPage({ baseURL, viewport: { width: 1600, height: 1000 } });

    await page.goto("/signup");
    await page.getByLabel("Email").fill("ui-bench@example.com");
    await page.getByLabel("Password").fill("bench password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/workflows$/);

    const chain = await measureChain(page, log, CHAIN_LENGTH, ROUNDS);
    const large = await measureChain(page, log, LARGE_CHAIN_LENGTH, LARGE_ROUNDS);
    return {
      ui_latency_changes: chain.latencies.length,
      ui_latency_p50_ms: round(percentile(chain.latencies, 0.5)),
      ui_latency_p95_ms: round(percentile(chain.latencies, 0.95)),
      // Of that, until the realtime response carrying the change had arrived in the browser…
      ui_latency_transport_p50_ms: round(percentile(chain.transport, 0.5)),
      ui_latency_transport_p95_ms: round(percentile(chain.transport, 0.95)),
      // …and from then until the DOM showed it: what the browser spends applying the change.
      ui_render_p50_ms: round(percentile(chain.render, 0.5)),
      ui_render_p95_ms: round(percentile(chain.render, 0.95)),
      ui_latency_changes_500: large.latencies.length,
      ui_latency_p50_ms_500: round(percentile(large.latencies, 0.5)),
      ui_latency_p95_ms_500: round(percentile(large.latencies, 0.95)),
      ui_render_p50_ms_500: round(percentile(large.render, 0.5)),
      ui_render_p95_ms_500: round(percentile(large.render, 0.95)),
    };
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await stopEmbeddedDatabaseIn(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await stub.close();
  }
}

/** The editor opened on a new chain of `length` LLM nodes, run `rounds` times: each change's latency and its parts, ascending. */
async function measureChain(page: Page, log: Log, length: number, rounds: number) {
  const created = await page.request.post("/api/workflows", { data: { name: `Latency chain ${length}`, graph: chainGraph(length) } });
  if (created.status() !== 201) throw new Error(`creating the workflow answered ${created.status()}: ${await created.text()}`);
  const { workflow } = (await created.json()) as { workflow: { id: string } };

  await page.goto(`/workflows/${workflow.id}`);
  await page.getByRole("button", { name: "Run workflow" }).waitFor();
  const latencies: number[] = [];
  const transport: number[] = [];
  const render: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    log(`running a chain of ${length} LLM nodes (${round}/${rounds})`);
    const measured = await measureOneRun(page, length);
    latencies.push(...measured.latencies);
    transport.push(...measured.transport);
    render.push(...measured.render);
  }
  for (const list of [latencies, transport, render]) list.sort((a, b) => a - b);
  return { latencies, transport, render };
}

/** Text → LLM 1 → LLM 2 → … : every LLM's user message is the previous node's output. */
function chainGraph(length: number): Graph {
  const nodes: GraphNode[] = [{ id: "seed", type: "text", position: { x: 0, y: 0 }, data: { text: "Start." } }];
  const edges: GraphEdge[] = [];
  for (let i = 1; i <= length; i++) {
    const id = `llm-${i}`;
    const source = i === 1 ? "seed" : `llm-${i - 1}`;
    // Always fresh: every node of the chain answers the same text, so the output cache would
    // otherwise serve all but the first two, and the run would measure nothing.
    nodes.push({ id, type: "run-llm", position: { x: 340 * (i % 12), y: 420 * Math.floor(i / 12) }, data: { [ALWAYS_FRESH_KEY]: true } });
    edges.push({ id: `e-${i}`, source, sourceHandle: i === 1 ? "text" : "output", target: id, targetHandle: "user_message" });
  }
  return { nodes, edges };
}

async function waitForHealthy(baseURL: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseURL}/healthz`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the app did not become healthy within 60 s");
}

/** One run of the chain: each status change's latency, and its transport part where known. */
async function measureOneRun(page: Page, length: number): Promise<{ latencies: number[]; transport: number[]; render: number[] }> {
  await page.evaluate((lastNodeId) => {
    // Every realtime response of this run is kept, to split each latency into transport and rendering.
    performance.clearResourceTimings();
    performance.setResourceTimingBufferSize(100_000);
    const seen: { nodeId: string; status: string; at: number }[] = [];
    const page = window as unknown as { __statusChanges: typeof seen; __lastSucceeded: Promise<void>; __observer?: MutationObserver };
    // The previous run's observer would go on working (and costing) beside this one.
    page.__observer?.disconnect();
    page.__statusChanges = seen;
    let lastSucceeded: (() => void) | undefined;
    page.__lastSucceeded = new Promise<void>((resolve) => {
      lastSucceeded = resolve;
    });
    page.__observer = new MutationObserver((mutations) => {
      const at = performance.timeOrigin + performance.now();
      for (const mutation of mutations) {
        const element = mutation.target as HTMLElement;
        const status = element.getAttribute("data-run-status");
        const nodeId = element.getAttribute("data-testid")?.replace(/^node-/, "");
        if (status && nodeId) seen.push({ nodeId, status, at });
        if (nodeId === lastNodeId && status === "success") lastSucceeded?.();
      }
    });
    page.__observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-run-status"] });
  }, `llm-${length}`);

  const runResponse = page.waitForResponse((response) => /\/api\/workflows\/[^/]+\/runs$/.test(response.url()) && response.request().method() === "POST");
  await page.getByRole("button", { name: "Run workflow" }).click();
  const { run } = (await (await runResponse).json()) as { run: { id: string } };
  // Told by the observer rather than polled: a locator's wait queries the whole DOM every
  // frame, main-thread work the page would not otherwise do, which would inflate the latencies.
  await page.evaluate((timeoutMs) => {
    const { __lastSucceeded } = window as unknown as { __lastSucceeded: Promise<void> };
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the last node did not succeed in time")), timeoutMs));
    return Promise.race([__lastSucceeded, timeout]);
  }, 300_000);

  const details = (await (await page.request.get(`/api/runs/${run.id}`)).json()) as {
    run: { nodes: { nodeId: string; startedAt: string | null; finishedAt: string | null; cachedFromExecutionId: string | null }[] };
  };
  const cached = details.run.nodes.filter((node) => node.cachedFromExecutionId !== null).length;
  if (cached > 0) throw new Error(`${cached} nodes were served from the cache: their status changes would not measure the feed`);
  const changes = (await page.evaluate(() => (window as unknown as { __statusChanges: { nodeId: string; status: string; at: number }[] }).__statusChanges));
  const responsesEnded = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((entry) => entry.name.includes("/realtime/v1/runs/"))
      .map((entry) => performance.timeOrigin + (entry as PerformanceResourceTiming).responseEnd)
      .sort((a, b) => a - b),
  );
  const latencies: number[] = [];
  const transport: number[] = [];
  const render: number[] = [];
  const measure = (changedAt: number, shownAt: number) => {
    latencies.push(shownAt - changedAt);
    // The first realtime response to finish after the change is the one that carried it.
    const delivered = responsesEnded.find((ended) => ended >= changedAt);
    if (delivered !== undefined && delivered <= shownAt) {
      transport.push(delivered - changedAt);
      render.push(shownAt - delivered);
    }
  };
  for (const node of details.run.nodes) {
    if (!node.nodeId.startsWith("llm-")) continue;
    const firstSeen = (status: string) => changes.find((change) => change.nodeId === node.nodeId && change.status === status)?.at;
    const running = firstSeen("running");
    const success = firstSeen("success");
    if (running !== undefined && node.startedAt) measure(Date.parse(node.startedAt), running);
    if (success !== undefined && node.finishedAt) measure(Date.parse(node.finishedAt), success);
  }
  return { latencies, transport, render };
}
