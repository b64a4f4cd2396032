import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { db, Prisma } from "~/.server/db.server";
import { createEmbeddedEngine, type EmbeddedEngine } from "~/.server/engine/embedded-engine.server";
import type { WorkflowEngine } from "~/.server/engine/engine.server";
import { createMediaStore } from "~/.server/media-store.server";
import { recordAsset, storeMediaFile } from "~/.server/models/asset.server";
import { createRun } from "~/.server/models/run.server";
import { createUser } from "~/.server/models/user.server";
import { createWorkflow } from "~/.server/models/workflow.server";
import type { Graph, GraphEdge, GraphNode } from "~workflow/graph";
import { startGeminiStub } from "~test/gemini-stub";
import { cropImage, cropOutputFormat, cropRectangle } from "~workflow/executors/crop-image";
import { extractFrame } from "~workflow/executors/extract-frame";
import { executors as realExecutors } from "~workflow/executors";
import { ffmpegPaths, probe, runFfmpeg } from "~workflow/ffmpeg";
import type { MediaValue } from "~workflow/values";
import type { ExecutorMap, LlmSettings, MediaStore } from "~workflow/execution";
import { median, round } from "./stats";

// The embedded engine's figures (issue 4, "Tests and figures"): orchestration overhead per node,
// dataflow precision, many sample runs at once, and the media executors against bare ffmpeg.

type Log = (line: string) => void;

const NO_LLM: LlmSettings = { apiKey: undefined, baseUrl: undefined, timeoutMs: 10_000 };
const SAMPLE_CROP = { x_percent: 10, y_percent: 10, width_percent: 80, height_percent: 80 };

export async function runBenchmarks(log: Log) {
  const owner = await createUser({ email: "bench@example.com", password: "bench password" });
  if (!owner.ok) throw new Error("could not create the bench user");
  const ownerId = owner.user.id;

  log("orchestration overhead (200 instant nodes)");
  const overhead = await measureOverhead(ownerId);
  log("dataflow lag");
  const dataflowLag = await measureDataflowLag(ownerId);
  log("50 concurrent sample runs");
  const concurrent = await measureConcurrentSampleRuns(ownerId, 50);
  log("crop and frame against bare ffmpeg");
  const media = await measureMediaExecutors(ownerId);

  return {
    overhead_ms_per_node: overhead.chain,
    overhead_ms_per_node_fan: overhead.fan,
    overhead_floor_ms_per_node: overhead.floor,
    overhead_ratio_vs_floor: overhead.ratio,
    overhead_floor_flushed_ms_per_node: overhead.flushedFloor,
    dataflow_lag_ms: dataflowLag,
    concurrent_runs_completed: concurrent.completed,
    concurrent_runs_per_s: concurrent.perSecond,
    concurrent_runs_wall_s: concurrent.wallSeconds,
    crop_ratio_vs_ffmpeg: media.sample.crop.ratio,
    crop_executor_ms: media.sample.crop.executorMs,
    crop_ffmpeg_ms: media.sample.crop.ffmpegMs,
    frame_ratio_vs_ffmpeg: media.sample.frame.ratio,
    frame_executor_ms: media.sample.frame.executorMs,
    frame_ffmpeg_ms: media.sample.frame.ffmpegMs,
    crop_ratio_vs_ffmpeg_12mp: media.large.crop.ratio,
    crop_executor_ms_12mp: media.large.crop.executorMs,
    crop_ffmpeg_ms_12mp: media.large.crop.ffmpegMs,
    frame_ratio_vs_ffmpeg_1080p: media.large.frame.ratio,
    frame_executor_ms_1080p: media.large.frame.executorMs,
    frame_ffmpeg_ms_1080p: media.large.frame.ffmpegMs,
    node_concurrency: 4,
    cpus: cpus().length,
  };
}

/** An engine whose Run LLM nodes answer after `delays[nodeId]` ms (0 by default), noting when each ran. */
function timedEngine(delays: Record<string, number> = {}) {
  const spans = new Map<string, { start: number; end: number }>();
  const executors: ExecutorMap = {
    ...realExecutors,
    text: async ({ params }) => ({ text: params.text }),
    "run-llm": async ({ nodeId }) => {
      const start = performance.now();
      const delay = delays[nodeId] ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      spans.set(nodeId, { start, end: performance.now() });
      return { output: nodeId };
    },
  };
  const engine = createEmbeddedEngine({ executors, concurrency: 4, llm: NO_LLM });
  return { engine, spans };
}

function llmNode(id: string, data: Record<string, unknown> = {}): GraphNode {
  return { id, type: "run-llm", position: { x: 0, y: 0 }, data };
}

function textNode(id: string, text: string): GraphNode {
  return { id, type: "text", position: { x: 0, y: 0 }, data: { text } };
}

function link(source: string, sourceHandle: string, target: string, targetHandle: string): GraphEdge {
  return { id: `${source}.${sourceHandle}->${target}.${targetHandle}`, source, sourceHandle, target, targetHandle };
}

/** Wall time of one full run on `engine`, from handing it over to its end (its rows already written). */
async function timeRun(engine: EmbeddedEngine, ownerId: string, workflowId: string): Promise<number> {
  const started = performance.now();
  // Refresh: these figures are about executing, not about the output cache (measured on its own).
  const result = await createRun(ownerId, workflowId, { scope: "full", cache: "refresh" }, engine);
  if (result.status !== "ok") throw new Error(`run refused: ${JSON.stringify(result)}`);
  await engine.whenSettled(result.started.run.id);
  const elapsed = performance.now() - started;
  const run = await db.workflowRun.findUniqueOrThrow({ where: { id: result.started.run.id }, select: { status: true } });
  if (run.status !== "completed") throw new Error(`bench run ended ${run.status}`);
  return elapsed;
}

/**
 * Milliseconds of orchestration per node: N nodes whose executors return at once, so the run's
 * wall time is the engine's own work (scheduling, two row writes per node, progress). A chain
 * (each node waits for the previous: latency-bound) and a fan (one source feeding N-1 nodes).
 *
 * Between the chain's runs, the same process times its floor (`measureCommitFloor`): what one
 * node's start and end must cost at least. The two alternate, so a change in the machine's speed
 * (these machines change by a factor of two within a day) moves both alike and the ratio holds.
 */
async function measureOverhead(ownerId: string, nodes = 200, repetitions = 7) {
  const chain: Graph = {
    nodes: Array.from({ length: nodes }, (_, index) => llmNode(`n${index}`, index === 0 ? { user_message: "start" } : {})),
    edges: Array.from({ length: nodes - 1 }, (_, index) => link(`n${index}`, "output", `n${index + 1}`, "user_message")),
  };
  const fan: Graph = {
    nodes: [textNode("source", "go"), ...Array.from({ length: nodes - 1 }, (_, index) => llmNode(`n${index}`))],
    edges: Array.from({ length: nodes - 1 }, (_, index) => link("source", "text", `n${index}`, "user_message")),
  };
  const { engine } = timedEngine();
  const floor = await commitFloor(ownerId, chain);
  const chainId = (await createWorkflow(ownerId, { name: "bench overhead", graph: chain })).id;
  // Warm-up: JIT, connections, query plans.
  await timeRun(engine, ownerId, chainId);
  await floor.perNode("engine");
  await floor.perNode("flushed");
  const chainTimes: number[] = [];
  const floorTimes: number[] = [];
  const flushedTimes: number[] = [];
  for (let index = 0; index < repetitions; index++) {
    chainTimes.push((await timeRun(engine, ownerId, chainId)) / nodes);
    // Alternating which floor follows the run: neither always gets the quieter moment.
    if (index % 2 === 0) {
      floorTimes.push(await floor.perNode("engine"));
      flushedTimes.push(await floor.perNode("flushed"));
    } else {
      flushedTimes.push(await floor.perNode("flushed"));
      floorTimes.push(await floor.perNode("engine"));
    }
  }
  const fanId = (await createWorkflow(ownerId, { name: "bench overhead fan", graph: fan })).id;
  await timeRun(engine, ownerId, fanId);
  const fanTimes: number[] = [];
  for (let index = 0; index < repetitions; index++) fanTimes.push((await timeRun(engine, ownerId, fanId)) / nodes);
  return {
    chain: round(median(chainTimes)),
    fan: round(median(fanTimes)),
    floor: round(median(floorTimes)),
    flushedFloor: round(median(flushedTimes)),
    ratio: round(median(chainTimes) / median(floorTimes)),
  };
}

/** Starts nothing: the run's rows exist for the floor's UPDATEs and no engine touches them. */
const IDLE_ENGINE: WorkflowEngine = {
  kind: "embedded",
  start: async (runId) => ({ engineRunId: `floor-${runId}`, accessToken: "", realtimeBaseUrl: null }),
  cancel: async () => {},
  createAccessToken: async () => "",
};

/**
 * The least a node's start and end can cost through the engine's database client (`db`, the
 * same pool): two single-row UPDATE commits, one per transition, each its own transaction
 * committed before the next, on the NodeExecution rows of a run of the same graph, changing what
 * the engine's writes change (status and times; a status change cannot be a HOT update, as the
 * engine's cannot). Without the engine's inputs and outputs, its statement building, its
 * scheduling or its progress reports.
 *
 * "engine" commits as the engine's node writes do (synchronous_commit off for that statement,
 * run-store.server.ts): committed and visible, in order, lost only if PostgreSQL itself crashes.
 * That is the honest floor: a floor the engine does not pay would put the ratio under 1 for
 * nothing. "flushed" waits for the WAL flush as well (PostgreSQL's default commit), for
 * comparison: what the per-node writes would cost if they had to survive a PostgreSQL crash.
 */
async function commitFloor(ownerId: string, graph: Graph) {
  const workflowId = (await createWorkflow(ownerId, { name: "bench commit floor", graph })).id;
  const result = await createRun(ownerId, workflowId, { scope: "full" }, IDLE_ENGINE);
  if (result.status !== "ok") throw new Error(`floor run refused: ${JSON.stringify(result)}`);
  const runId = result.started.run.id;
  const nodeIds = graph.nodes.map((node) => node.id);

  const update = (mode: "engine" | "flushed", nodeId: string, status: "running" | "success", at: Date) =>
    mode === "engine"
      ? db.$executeRaw`
          WITH settings AS (SELECT set_config('synchronous_commit', 'off', true))
          UPDATE "NodeExecution" SET "status" = ${status}::"NodeStatus", ${timeColumn(status, at)}
          FROM settings
          WHERE "runId" = ${runId} AND "nodeId" = ${nodeId}`
      : db.$executeRaw`
          UPDATE "NodeExecution" SET "status" = ${status}::"NodeStatus", ${timeColumn(status, at)}
          WHERE "runId" = ${runId} AND "nodeId" = ${nodeId}`;

  return {
    /** Milliseconds per node: each node's start, then its end, one node after another. */
    async perNode(mode: "engine" | "flushed"): Promise<number> {
      const started = performance.now();
      for (const nodeId of nodeIds) {
        if ((await update(mode, nodeId, "running", new Date())) !== 1) throw new Error("the floor's row is missing");
        if ((await update(mode, nodeId, "success", new Date())) !== 1) throw new Error("the floor's row is missing");
      }
      return (performance.now() - started) / nodeIds.length;
    },
  };
}

function timeColumn(status: "running" | "success", at: Date): Prisma.Sql {
  const iso = at.toISOString();
  return status === "running"
    ? Prisma.sql`"startedAt" = ${iso}::timestamp(3), "finishedAt" = NULL`
    : Prisma.sql`"finishedAt" = ${iso}::timestamp(3)`;
}

/**
 * A join node's start minus the end of the later of its two inputs, while a sibling branch is
 * still busy: how precisely the engine starts a node once its own inputs are done.
 */
async function measureDataflowLag(ownerId: string, repetitions = 15): Promise<number> {
  const graph: Graph = {
    nodes: [textNode("prompt", "go"), llmNode("fast1"), llmNode("fast2"), llmNode("busy"), llmNode("join")],
    edges: [
      link("prompt", "text", "fast1", "user_message"),
      link("prompt", "text", "fast2", "user_message"),
      link("prompt", "text", "busy", "user_message"),
      link("fast1", "output", "join", "system_prompt"),
      link("fast2", "output", "join", "user_message"),
    ],
  };
  const workflowId = (await createWorkflow(ownerId, { name: "bench dataflow", graph })).id;
  const { engine, spans } = timedEngine({ fast1: 20, fast2: 60, busy: 400 });
  const lags: number[] = [];
  for (let index = 0; index <= repetitions; index++) {
    spans.clear();
    await timeRun(engine, ownerId, workflowId);
    const join = spans.get("join")!;
    const lastInputEnd = Math.max(spans.get("fast1")!.end, spans.get("fast2")!.end);
    if (join.start >= spans.get("busy")!.end) throw new Error("the busy sibling ended before the join started");
    if (index > 0) lags.push(join.start - lastInputEnd);
  }
  return round(median(lags));
}

/** Many sample runs at once (real ffmpeg and storage, Gemini stub): how many complete, and how fast. */
async function measureConcurrentSampleRuns(ownerId: string, count: number) {
  const stub = await startGeminiStub();
  const engine = createEmbeddedEngine({ concurrency: 4, llm: { apiKey: "bench", baseUrl: stub.baseUrl, timeoutMs: 60_000 } });
  try {
    const workflow = await db.workflow.findFirstOrThrow({ where: { ownerId, name: "Product Marketing Kit" }, select: { id: true } });
    const started = performance.now();
    const runIds = await Promise.all(
      Array.from({ length: count }, async () => {
        const result = await createRun(ownerId, workflow.id, { scope: "full", cache: "refresh" }, engine);
        if (result.status !== "ok") throw new Error(`sample run refused: ${JSON.stringify(result)}`);
        return result.started.run.id;
      }),
    );
    await engine.whenSettled();
    const wallSeconds = (performance.now() - started) / 1000;
    const completed = await db.workflowRun.count({ where: { id: { in: runIds }, status: "completed" } });
    return { completed, perSecond: round(completed / wallSeconds), wallSeconds: round(wallSeconds) };
  } finally {
    await engine.stop();
    await stub.close();
  }
}

/**
 * The Crop Image and Extract Frame executors (finding the file, ffmpeg, storing the result as an
 * asset) against the bare ffmpeg command producing the same output from the same file. Their
 * inputs come from the store's getAsset, as an upload node's output does in a run, with the facts
 * the Asset row records, so they probe nothing; the store is one run's. Twice: on the
 * sample photo and video every account gets (small: fixed costs dominate), and on a 12 MP
 * photo and a 1080p video (where ffmpeg's own work dominates).
 */
async function measureMediaExecutors(ownerId: string, repetitions = 11) {
  const store = createMediaStore(ownerId);
  const assets = await db.asset.findMany({ where: { ownerId }, select: { id: true, mime: true } });
  const dir = await mkdtemp(join(tmpdir(), "weft-bench-ffmpeg-"));
  try {
    const sample = await measureOn(store, dir, repetitions, {
      image: await store.getAsset(assets.find((asset) => asset.mime.startsWith("image/"))!.id, "image"),
      video: await store.getAsset(assets.find((asset) => asset.mime.startsWith("video/"))!.id, "video"),
    });

    const photo = join(dir, "photo-12mp.jpg");
    const clip = join(dir, "clip-1080p.mp4");
    const signal = AbortSignal.timeout(120_000);
    await runFfmpeg(["-f", "lavfi", "-i", "testsrc2=size=4000x3000:rate=1", "-frames:v", "1", "-q:v", "3", photo], signal);
    await runFfmpeg(
      ["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-t", "10", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip],
      signal,
    );
    const large = await measureOn(store, dir, repetitions, {
      image: await store.getAsset(await addAsset(ownerId, photo, "image/jpeg", "image"), "image"),
      video: await store.getAsset(await addAsset(ownerId, clip, "video/mp4", "video"), "video"),
    });
    return { sample, large };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function addAsset(ownerId: string, path: string, mime: string, kind: MediaValue["kind"]): Promise<string> {
  return (await recordAsset(db, ownerId, await storeMediaFile(path, { mime, kind }))).id;
}

async function measureOn(store: MediaStore, dir: string, repetitions: number, media: { image: MediaValue; video: MediaValue }) {
  const imagePath = await store.localPath(media.image);
  const videoPath = await store.localPath(media.video);
  const { x, y, width, height } = cropRectangle(SAMPLE_CROP, await probe(imagePath));
  // The bare command writes what the executor writes: the input's format, with the same encoder options.
  const format = await cropOutputFormat(media.image.mime);
  const seek = (((await probe(videoPath)).durationSeconds ?? 0) * 50) / 100;
  const crop = await compare(
    () => runExecutor(cropImage, { params: SAMPLE_CROP, inputs: { image_url: media.image }, media: store }),
    () =>
      bareFfmpeg([
        "-i",
        imagePath,
        "-vf",
        `crop=${width}:${height}:${x}:${y}:exact=1`,
        "-frames:v",
        "1",
        ...format.encoderOptions,
        join(dir, `crop.${format.extension}`),
      ]),
    repetitions,
  );
  const frame = await compare(
    () => runExecutor(extractFrame, { params: { timestamp: "50%" }, inputs: { video_url: media.video }, media: store }),
    () => bareFfmpeg(["-ss", seek.toFixed(3), "-i", videoPath, "-frames:v", "1", "-an", join(dir, "frame.png")]),
    repetitions,
  );
  return { crop, frame };
}

type MediaExecutor = typeof cropImage | typeof extractFrame;

async function runExecutor<E extends MediaExecutor>(
  executor: E,
  context: { params: Parameters<E>[0]["params"]; inputs: Record<string, MediaValue>; media: MediaStore },
): Promise<void> {
  // The casts pair each executor with its own params, which TypeScript cannot follow through E.
  await (executor as (c: Parameters<E>[0]) => Promise<unknown>)({
    nodeId: "bench",
    params: context.params,
    inputs: context.inputs,
    media: context.media,
    signal: new AbortController().signal,
    llm: NO_LLM,
  } as Parameters<E>[0]);
}

async function compare(executor: () => Promise<void>, bare: () => Promise<void>, repetitions: number) {
  await executor(); // warm-up: fluent-ffmpeg's capability checks, the encoder list, file caches
  await bare();
  const executorTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let index = 0; index < repetitions; index++) {
    executorTimes.push(await timed(executor));
    bareTimes.push(await timed(bare));
  }
  const executorMs = median(executorTimes);
  const ffmpegMs = median(bareTimes);
  return { ratio: round(executorMs / ffmpegMs), executorMs: round(executorMs), ffmpegMs: round(ffmpegMs) };
}

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

function bareFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPaths().ffmpeg, ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", ...args], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
  });
}
