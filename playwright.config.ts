import { defineConfig } from "@playwright/test";
import { GEMINI_STUB_API_KEY, GEMINI_STUB_PORT, GEMINI_STUB_URL } from "./e2e/gemini-stub-server";

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
  webServer: [
    // Gemini's stand-in: the app's LLM nodes talk to it; specs program its replies (e2e/gemini-stub-server.ts).
    {
      command: "node_modules/.bin/tsx e2e/gemini-stub-server.ts",
      url: `${GEMINI_STUB_URL}/__control`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { E2E_GEMINI_PORT: String(GEMINI_STUB_PORT) },
    },
    {
      command: `rm -rf ${dataDir} && npm run build && node build/server.js`,
      url: `http://localhost:${port}/healthz`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(port),
        WEFT_DATA_DIR: dataDir,
        SESSION_SECRET: "e2e-session-secret",
        // Every spec signs up from 127.0.0.1: the per-address sign-in limit is not what they test.
        AUTH_ATTEMPTS_PER_IP: "10000",
        GEMINI_API_KEY: GEMINI_STUB_API_KEY,
        GEMINI_BASE_URL: GEMINI_STUB_URL,
      },
    },
  ],
});
