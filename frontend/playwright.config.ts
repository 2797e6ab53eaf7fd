import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { defineConfig } from "@playwright/test";

// One `tessera dev` (embedded PostgreSQL in a fresh directory) on a port of its own, chosen
// once here: the test workers inherit the environment, so they read the same port.
// Below Linux's ephemeral range (32768-60999): a port there can be held by any outgoing
// connection of the moment (a database client, say), and the server would fail to bind.
process.env.E2E_PORT ??= String(20000 + Math.floor(Math.random() * 12000));
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "tessera-e2e-"));
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    locale: "en-US",
    // The app then drops Ant Design's animations (as for anyone who asks for less motion): a
    // menu opening with a slide lets a click's press and release land on different items.
    contextOptions: { reducedMotion: "reduce" },
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright's browser download cannot reach its server here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox"],
    },
  },
  webServer: {
    command: `../.venv/bin/tessera dev --port ${port}`,
    url: `${baseURL}/health/ready`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      TESSERA_DATA_DIR: process.env.E2E_DATA_DIR,
      TESSERA_LOG_LEVEL: "WARNING",
      TESSERA_COOKIE_SECURE: "false",
    },
  },
});
