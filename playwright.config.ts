import { defineConfig } from "@playwright/test";

// The e2e suite runs the production build against a throwaway embedded database in its own
// data directory, created fresh by the web server command and removed by e2e/global-teardown.ts.
// Chromium is Debian's (installed by .ci/run), never a Playwright download.
const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = ".test-data/e2e";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: "list",
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && npm run build && node build/server.js`,
    url: `http://localhost:${port}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { NODE_ENV: "production", PORT: String(port), WEFT_DATA_DIR: dataDir, SESSION_SECRET: "e2e-session-secret" },
  },
});
