import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isFinishedRunStatus } from "~workflow/run-progress";
import { probe } from "~workflow/ffmpeg";
import { startGeminiStub, textReply, videoDone, type GeminiStub } from "~test/gemini-stub";
import { stopEmbeddedDatabaseIn } from "./embedded-database";

// The whole app as a process: a run survives `kill -9` of the server mid-run. The embedded
// PostgreSQL is orphaned by the kill; the next start stops it and resumes the run.

const API_KEY = "restart-test-key";

let dataDir: string;
let stub: GeminiStub;
let port: number;
let server: ChildProcess | undefined;
let output = "";

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-restart-"));
  // PostgreSQL runs as another user when the tests run as root.
  fs.chmodSync(dataDir, 0o755);
  stub = await startGeminiStub({ apiKey: API_KEY });
  // Slow enough (2 s per answer) that the server can be killed while LLM #1 is answering.
  stub.program(textReply(Array.from({ length: 20 }, (_, index) => `word${index} `), { tokenDelayMs: 100 }));
  port = await freePort();
});

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGKILL");
    await exited(server);
  }
  await stopEmbeddedDatabaseIn(dataDir);
  await stub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * `node --import tsx server/index.ts`: one process, so a SIGKILL reaches the server itself. With
 * `group`, it leads a process group of its own, its PostgreSQL in it, for killing both at once.
 */
function startServer({ group = false } = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The test runner's own settings (its database, vitest's flags) are not the app's.
  for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "DATABASE_URL") delete env[key];
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: {
      ...env,
      NODE_ENV: "development",
      PORT: String(port),
      WEFT_DATA_DIR: dataDir,
      GEMINI_API_KEY: API_KEY,
      GEMINI_BASE_URL: stub.baseUrl,
      // Polls a fifth of a second apart, so a kill lands between two polls of a video operation.
      GEMINI_VIDEO_POLL_INTERVAL_MS: "200",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: group,
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return child;
}

async function untilReady(child: ChildProcess) {
  await vi.waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
      const response = await fetch(`${baseUrl()}/healthz`).catch(() => null);
      if (!response?.ok) throw new Error(`the server does not answer /healthz yet:\n${output}`);
    },
    // A cold start (Vite optimising dependencies) on a busy machine has taken over 45 s.
    { timeout: 90_000, interval: 100 },
  );
}

function baseUrl() {
  return `http://127.0.0.1:${port}`;
}

async function api(pathname: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.body) headers.set("Content-Type", "application/json");
  const response = await fetch(`${baseUrl()}${pathname}`, { ...init, headers, redirect: "manual" });
  return { status: response.status, body: await response.json() };
}

describe("the app server", () => {
  it("finishes a run after being killed mid-run and started again", { timeout: 120_000 }, async () => {
    server = startServer();
    await untilReady(server);

    // Sign up like the browser does, then make an API token with the session.
    const signup = await fetch(`${baseUrl()}/signup`, {
      method: "POST",
      body: new URLSearchParams({ email: "restart@example.com", password: "correct horse battery" }),
      redirect: "manual",
    });
    expect(signup.status).toBe(302);
    const cookie = signup.headers.get("set-cookie")!.split(";")[0];
    const tokenResponse = await api("/api/tokens", {
      method: "POST",
      headers: { Cookie: cookie, Origin: baseUrl() },
      body: JSON.stringify({ name: "restart test" }),
    });
    expect(tokenResponse.status).toBe(201);
    const token: string = tokenResponse.body.token;
    const { body: list } = await api("/api/workflows", { token });
    const workflowId: string = list.workflows[0].id;

    const started = await api(`/api/workflows/${workflowId}/runs`, { method: "POST", token, body: JSON.stringify({ scope: "full" }) });
    expect(started.status).toBe(202);
    const runId: string = started.body.run.id;

    await vi.waitFor(() => expect(stub.requests.length, "LLM #1 to call Gemini").toBeGreaterThanOrEqual(1), { timeout: 30_000, interval: 100 });
    const before = (await api(`/api/runs/${runId}`, { token })).body.run;
    const cropBefore = before.nodes.find((node: { nodeId: string }) => node.nodeId === "crop-product");
    expect(cropBefore.status).toBe("success");
    expect(before.status).toBe("running");

    server.kill("SIGKILL");
    await exited(server);

    server = startServer();
    await untilReady(server);
    await vi.waitFor(
      async () => expect(isFinishedRunStatus((await api(`/api/runs/${runId}`, { token })).body.run.status), "the resumed run to finish").toBe(true),
      { timeout: 30_000, interval: 100 },
    );
    const after = (await api(`/api/runs/${runId}`, { token })).body.run;
    expect(after.status).toBe("completed");
    expect(after.startedAt).toBe(before.startedAt);
    // The crop had finished before the kill: kept, not executed again.
    expect(after.nodes.find((node: { nodeId: string }) => node.nodeId === "crop-product")).toEqual(cropBefore);
    const post = after.nodes.find((node: { nodeId: string }) => node.nodeId === "social-media-post");
    expect(post.outputs.output).toContain("word19");
    // LLM #1 was asked twice (interrupted, then resumed) and LLM #2 once.
    expect(stub.requests).toHaveLength(3);

    // A clean stop takes the embedded database down with the server.
    server.kill("SIGTERM");
    expect(await exited(server)).toBe(0);
  });
});

describe("a Generate Video node across a kill -9", () => {
  it("polls the same Veo operation after the restart, pays for one video, and stores it", { timeout: 180_000 }, async () => {
    stub.reset();
    // About 6 s of polling in all: the server is killed a poll or two in.
    stub.programVideo(videoDone(30));
    server = startServer();
    await untilReady(server);
    const signup = await fetch(`${baseUrl()}/signup`, {
      method: "POST",
      body: new URLSearchParams({ email: "video-restart@example.com", password: "correct horse battery" }),
      redirect: "manual",
    });
    const cookie = signup.headers.get("set-cookie")!.split(";")[0];
    const made = await api("/api/tokens", { method: "POST", headers: { Cookie: cookie, Origin: baseUrl() }, body: JSON.stringify({ name: "video" }) });
    const token: string = made.body.token;
    const graph = {
      nodes: [
        {
          id: "clip",
          type: "generate-video",
          position: { x: 0, y: 0 },
          data: { prompt: "A paper boat on a rainy street.", duration_seconds: 4, aspect_ratio: "16:9", resolution: "720p" },
        },
      ],
      edges: [],
    };
    const created = await api("/api/workflows", { method: "POST", token, body: JSON.stringify({ name: "Video", graph }) });
    expect(created.status).toBe(201);
    const started = await api(`/api/workflows/${created.body.workflow.id}/runs`, { method: "POST", token, body: JSON.stringify({ scope: "full" }) });
    expect(started.status).toBe(202);
    const runId: string = started.body.run.id;

    await vi.waitFor(() => expect(stub.videoOperations[0]?.polls ?? 0, "the node to poll its operation").toBeGreaterThanOrEqual(1), {
      timeout: 60_000,
      interval: 20,
    });
    server.kill("SIGKILL");
    await exited(server);
    const [operation] = stub.videoOperations;
    const pollsBeforeKill = operation.polls;
    expect(pollsBeforeKill).toBeLessThan(30);

    server = startServer();
    await untilReady(server);
    await vi.waitFor(
      async () => expect(isFinishedRunStatus((await api(`/api/runs/${runId}`, { token })).body.run.status), "the resumed run to finish").toBe(true),
      { timeout: 60_000, interval: 100 },
    );
    const after = (await api(`/api/runs/${runId}`, { token })).body.run;
    expect(after.status).toBe("completed");
    // One video paid for: the resumed node polled the operation the first process started.
    expect(stub.videoOperations).toHaveLength(1);
    expect(operation.polls).toBe(30);
    expect(operation.downloads).toBe(1);

    const video = after.nodes.find((node: { nodeId: string }) => node.nodeId === "clip").outputs.video;
    const file = await fetch(`${baseUrl()}${video.url}`, { headers: { Cookie: cookie } });
    expect(file.status).toBe(200);
    const downloaded = path.join(dataDir, "downloaded.mp4");
    fs.writeFileSync(downloaded, Buffer.from(await file.arrayBuffer()));
    const facts = await probe(downloaded);
    expect(facts.durationSeconds).toBeCloseTo(4, 0);
    expect(facts.width).toBe(128);

    server.kill("SIGTERM");
    expect(await exited(server)).toBe(0);
  });
});

describe("the app server after hard kills", () => {
  it("comes up after five kill -9s of its whole process group (app and PostgreSQL) in a row, and every run finishes", { timeout: 300_000 }, async () => {
    stub.reset();
    stub.program(textReply(Array.from({ length: 20 }, (_, index) => `word${index} `), { tokenDelayMs: 100 }));
    let token: string | undefined;
    let workflowId: string | undefined;
    const runIds: string[] = [];
    for (let cycle = 1; cycle <= 5; cycle += 1) {
      server = startServer({ group: true });
      await untilReady(server);
      if (!token) {
        const signup = await fetch(`${baseUrl()}/signup`, {
          method: "POST",
          body: new URLSearchParams({ email: "hard-kill@example.com", password: "correct horse battery" }),
          redirect: "manual",
        });
        const cookie = signup.headers.get("set-cookie")!.split(";")[0];
        const made = await api("/api/tokens", { method: "POST", headers: { Cookie: cookie, Origin: baseUrl() }, body: JSON.stringify({ name: "kill" }) });
        token = made.body.token as string;
        workflowId = (await api("/api/workflows", { token })).body.workflows[0].id as string;
      }
      const requestsBefore = stub.requests.length;
      const started = await api(`/api/workflows/${workflowId}/runs`, { method: "POST", token, body: JSON.stringify({ scope: "full" }) });
      expect(started.status, `cycle ${cycle}`).toBe(202);
      runIds.push(started.body.run.id);
      // Killed while an LLM node is answering: mid-run, with PostgreSQL writing.
      await vi.waitFor(() => expect(stub.requests.length, `cycle ${cycle}'s run to call Gemini`).toBeGreaterThan(requestsBefore), {
        timeout: 60_000,
        interval: 100,
      });
      process.kill(-server.pid!, "SIGKILL");
      await exited(server);
    }
    server = startServer({ group: true });
    await untilReady(server);
    for (const runId of runIds) {
      await vi.waitFor(
        async () => expect(isFinishedRunStatus((await api(`/api/runs/${runId}`, { token })).body.run.status), `run ${runId} to finish`).toBe(true),
        { timeout: 90_000, interval: 100 },
      );
      expect((await api(`/api/runs/${runId}`, { token })).body.run.status).toBe("completed");
    }
    server.kill("SIGTERM");
    expect(await exited(server)).toBe(0);
  });
});

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
