import fs from "node:fs";
import { stopEmbeddedDatabaseIn } from "../server/embedded-database";

const DATA_DIR = ".test-data/e2e";

/**
 * Removes the throwaway database. The web server stops its PostgreSQL on SIGTERM, but if it was
 * killed outright the database would outlive it, so stop that by its recorded PID first.
 */
export default async function globalTeardown() {
  await stopEmbeddedDatabaseIn(DATA_DIR);
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
}
