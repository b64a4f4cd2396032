import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import path from "node:path";
import { EnvSchema } from "../app/.server/env.server";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded-database";
import { migrate } from "./migrate";

/**
 * Weft's server: makes sure there is a migrated database (the embedded one unless DATABASE_URL
 * is set), then serves the Remix app — through Vite's middleware in development, from build/
 * in production — and shuts the database down with it.
 */
async function main() {
  const config = EnvSchema.parse(process.env);
  const production = config.NODE_ENV === "production";

  let embedded: EmbeddedDatabase | undefined;
  if (!config.DATABASE_URL) {
    embedded = await startEmbeddedDatabase(config.WEFT_DATA_DIR);
    // The app reads its configuration from the environment; this is the one value made here.
    process.env.DATABASE_URL = embedded.url;
    log(`embedded PostgreSQL (pid ${embedded.pid}) under ${path.resolve(config.WEFT_DATA_DIR, "pg")}`);
  }
  const { applied } = await migrate(process.env.DATABASE_URL!);
  if (applied.length > 0) log(`applied migrations: ${applied.join(", ")}`);

  const app = express();
  app.disable("x-powered-by");

  let getBuild: () => Promise<ServerBuild>;
  if (production) {
    const buildDir = path.resolve(import.meta.dirname);
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
    getBuild = async () => build;
  } else {
    const vite = await import("vite").then((v) =>
      v.createServer({ server: { middlewareMode: true }, appType: "custom" }),
    );
    app.use(vite.middlewares);
    getBuild = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  }

  app.all("*", createRequestHandler({ build: getBuild, mode: production ? "production" : "development" }));

  const server = app.listen(config.PORT, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    log(`ready on http://localhost:${port}`);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

function log(message: string) {
  process.stdout.write(`[weft] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[weft] failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
