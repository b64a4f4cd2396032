import { ffmpeg } from "@trigger.dev/build/extensions/core";
import { prismaExtension } from "@trigger.dev/build/extensions/prisma";
import { defineConfig } from "@trigger.dev/sdk";

export default defineConfig({
  // Read by the Trigger.dev CLI when it builds and deploys, never by the app, so it is not part of
  // app/.server/env.server.ts. The placeholder only keeps the file loadable without a project.
  project: process.env.TRIGGER_PROJECT_REF ?? "proj_weft",
  dirs: ["./trigger"],
  // Test files and their helpers are not tasks; the indexer would load them as task files.
  ignorePatterns: ["**/*.test.ts", "**/test-support.ts"],
  // Node 24, the LTS line the app and CI run on (README); @google/genai 3.x needs 22 or later (ADR 004).
  runtime: "node-24",
  // A run's whole workflow is one orchestrator run (which waits for its children without
  // suspending), so the default is an hour; each task sets its own, shorter limit.
  maxDuration: 3600,
  retries: {
    default: { maxAttempts: 3, factor: 2, minTimeoutInMs: 1_000, maxTimeoutInMs: 60_000, randomize: true },
  },
  build: {
    // fluent-ffmpeg picks its entry point with a runtime require that esbuild cannot bundle
    // (Trigger.dev's ffmpeg extension docs ask for this).
    external: ["fluent-ffmpeg"],
    extensions: [
      // Installs ffmpeg/ffprobe in the deployed image and sets FFMPEG_PATH/FFPROBE_PATH, which
      // workflow/ffmpeg.ts prefers over the npm-shipped binaries (it does nothing in `trigger dev`).
      ffmpeg(),
      // Prisma 7 with the `prisma-client` generator: the client is generated into
      // app/.server/generated/prisma by `npm run db:generate` (run on install) and bundled as
      // source; "modern" mode only keeps @prisma/client external. It takes no schema option.
      prismaExtension({ mode: "modern" }),
    ],
  },
});
