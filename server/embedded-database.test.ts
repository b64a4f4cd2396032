import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedDatabase, stopEmbeddedDatabaseIn } from "./embedded-database";

const asRoot = process.getuid?.() === 0;

async function canQuery(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query("SELECT 1 AS one")).rows[0].one === 1;
  } finally {
    await client.end();
  }
}

describe("the embedded database", () => {
  // Only root hands the cluster to another user; as anyone else PostgreSQL runs as that user.
  it.skipIf(!asRoot)("starts as root from a data directory inside a home directory of mode 700, and again after a stop", { timeout: 120_000 }, async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "weft-root-home-"));
    fs.chmodSync(home, 0o700);
    const dataDir = path.join(home, "project", ".data");
    let clusterDir: string | undefined;
    try {
      const first = await startEmbeddedDatabase(dataDir);
      clusterDir = first.databaseDir;
      expect(await canQuery(first.url)).toBe(true);
      // The data directory still names the cluster.
      expect(fs.realpathSync(path.join(dataDir, "pg"))).toBe(clusterDir);
      expect(fs.existsSync(path.join(dataDir, "pg", "PG_VERSION"))).toBe(true);
      await first.stop();

      const second = await startEmbeddedDatabase(dataDir);
      expect(second.databaseDir).toBe(clusterDir);
      expect(await canQuery(second.url)).toBe(true);
      await second.stop();
    } finally {
      await stopEmbeddedDatabaseIn(dataDir);
      fs.rmSync(home, { recursive: true, force: true });
      if (clusterDir && clusterDir.startsWith("/var/lib/weft/")) fs.rmSync(clusterDir, { recursive: true, force: true });
    }
  });

  it("retries, then says what PostgreSQL said when it truly cannot start (not `undefined`)", { timeout: 120_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-broken-cluster-"));
    fs.chmodSync(dataDir, 0o755);
    try {
      const first = await startEmbeddedDatabase(dataDir);
      await first.stop();
      fs.appendFileSync(path.join(first.databaseDir, "postgresql.conf"), "\nweft_no_such_setting = on\n");
      const error = await startEmbeddedDatabase(dataDir).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain("could not start");
      expect((error as Error).message).toContain("weft_no_such_setting");
    } finally {
      await stopEmbeddedDatabaseIn(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
