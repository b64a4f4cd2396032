import type { ServerBuild } from "@remix-run/node";
import express from "express";
import path from "node:path";
import { EnvSchema, type Env } from "~/.server/env.server";
// Type only: the server reaches the app's code through the Remix build (see backgroundServices).
import type * as AppEntry from "~/entry.server";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded-database";
import {
  closeWhenBodyUnread,
  limitFormBodies,
  refuseLegacyDataRequests,
  refuseUnreadablePaths,
  requireSameOriginWrites,
  securityHeaders,
} from "./http-guards";
import { migrate } from "./migrate";
import { remixHandler } from "./remix-handler";

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
    log(`embedded PostgreSQL (pid ${embedded.pid}) under ${embedded.databaseDir}`);
  }
  const { applied } = await migrate(process.env.DATABASE_URL!);
  if (applied.length > 0) log(`applied migrations: ${applied.join(", ")}`);

  const app = express();
  app.disable("x-powered-by");
  if (config.TRUST_PROXY > 0) app.set("trust proxy", config.TRUST_PROXY);
  app.use(closeWhenBodyUnread);
  app.use(
    securityHeaders({
      production,
      connectOrigins: config.TRIGGER_SECRET_KEY ? [new URL(config.TRIGGER_API_URL ?? "https://api.trigger.dev").origin] : [],
    }),
  );
  app.use(refuseUnreadablePaths);
  app.use(refuseLegacyDataRequests);
  app.use(requireSameOriginWrites);
  app.use(limitFormBodies({ limitFor: (req) => formBodyLimit(req.path, config) }));

  let getBuild: () => Promise<ServerBuild>;
  if (production) {
    const buildDir = path.resolve(import.meta.dirname);
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
    getBuild = async () => build;
  } else {
    const sigtermListeners = new Set(process.listeners("SIGTERM"));
    const vite = await import("vite").then((v) =>
      v.createServer({ server: { middlewareMode: true }, appType: "custom" }),
    );
    // The Remix plugin's child compiler is a standalone Vite server, which exits the process on
    // SIGTERM by itself, before the engine and the database have stopped; shutdown() below
    // handles SIGTERM instead.
    for (const listener of process.listeners("SIGTERM")) {
      if (!sigtermListeners.has(listener)) process.off("SIGTERM", listener);
    }
    app.use(vite.middlewares);
    getBuild = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  }

  // Before accepting requests: a misconfigured engine fails the start, and interrupted runs resume.
  const services = backgroundServices(await getBuild());
  await services.startBackgroundServices();

  app.all("*", remixHandler(getBuild, production ? "production" : "development"));

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
    // Runs in flight stay running in the database (and resume on the next start); the engine
    // must be done writing before the database goes away.
    await services.stopBackgroundServices();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/**
 * The JSON API (under /api/) reads its own bodies within its own limits, uploads included. Page
 * forms are small, except the workflow list's import, which takes a workflow file.
 */
function formBodyLimit(pathname: string, config: Env): number | null {
  if (pathname.startsWith("/api/")) return null;
  if (/^\/workflows(\/_index)?(\.data)?\/?$/.test(pathname)) return config.MAX_GRAPH_BYTES + MULTIPART_OVERHEAD_BYTES;
  return config.MAX_FORM_BYTES;
}

const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

type BackgroundServices = Pick<typeof AppEntry, "startBackgroundServices" | "stopBackgroundServices">;

/**
 * The start/stop functions app/entry.server.tsx exports. Taken from the loaded build rather than
 * imported, so they run in the same module instances as the routes (and, in development, as the
 * routes' Vite module graph) instead of a second copy of the app inside this file's bundle.
 */
function backgroundServices(build: ServerBuild): BackgroundServices {
  // Remix types the entry module by the exports it knows; ours are checked below.
  const entry = build.entry.module as Partial<BackgroundServices>;
  const { startBackgroundServices, stopBackgroundServices } = entry;
  if (typeof startBackgroundServices !== "function" || typeof stopBackgroundServices !== "function") {
    throw new Error("app/entry.server.tsx must export startBackgroundServices and stopBackgroundServices.");
  }
  return { startBackgroundServices, stopBackgroundServices };
}

function log(message: string) {
  process.stdout.write(`[weft] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[weft] failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
