/**
 * Writes a new migration for the changes made to prisma/schema.prisma since a git revision,
 * using Prisma's own schema engine compiled to WebAssembly (the native one cannot be
 * downloaded here). Usage: `npm run db:new-migration -- <name> [--from <git-rev>]` (default HEAD).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import type * as SchemaEngineWasm from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { startEmbeddedDatabase } from "../server/embedded-database";
import { MIGRATIONS_DIR } from "../server/migrate";

const SCHEMA_PATH = "prisma/schema.prisma";

async function main() {
  const args = process.argv.slice(2);
  const fromIndex = args.indexOf("--from");
  const fromRev = fromIndex >= 0 ? args[fromIndex + 1] : "HEAD";
  const name = args.find((arg, i) => !arg.startsWith("--") && args[i - 1] !== "--from");
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error("Give the migration a snake_case name: npm run db:new-migration -- add_something");
  }

  const current = fs.readFileSync(SCHEMA_PATH, "utf8");
  const previous = gitShow(fromRev, SCHEMA_PATH);
  const engine = await loadSchemaEngine();

  // The engine wants a driver adapter even for a pure schema-to-schema diff.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-diff-"));
  fs.chmodSync(dataDir, 0o755);
  const database = await startEmbeddedDatabase(dataDir);
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: database.url }));
    const instance = await engine.SchemaEngine.new({ datamodels: [["schema.prisma", current]] }, () => {}, adapter);
    const result = await instance.diff({
      from: previous
        ? { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: previous }] }
        : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: current }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? "";
    if (!sql.trim() || /empty migration/i.test(sql)) {
      process.stdout.write(`No schema changes since ${fromRev}.\n`);
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    process.stdout.write(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql — review it, then npm run db:migrate.\n`);
  } finally {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function gitShow(rev: string, file: string) {
  try {
    return execFileSync("git", ["show", `${rev}:${file}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null; // no schema at that revision: diff from an empty database
  }
}

/** The package is a wasm-bindgen bundle meant for bundlers; instantiate it by hand for Node. */
async function loadSchemaEngine() {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bindings = await import(path.join(dir, "schema_engine_bg.js"));
  const bytes = fs.readFileSync(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bindings as typeof SchemaEngineWasm;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
