import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "../server/embedded-database";
import { migrate } from "../server/migrate";

/**
 * Unit and data-access tests run against a real PostgreSQL: a throwaway embedded cluster in a
 * temporary directory, migrated like production and removed afterwards. Test workers inherit
 * DATABASE_URL because they are started after this runs.
 */
export default async function setup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-unit-"));
  fs.chmodSync(dataDir, 0o755);
  const database = await startEmbeddedDatabase(dataDir);
  await migrate(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.WEFT_DATA_DIR = dataDir;
  process.env.NODE_ENV = "test";

  return async () => {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
