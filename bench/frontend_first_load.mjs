// The browser app's first load: how much JavaScript a signed-in member's browser transfers
// (compressed, as sent) to open the home dashboard with an empty cache.
//
//   make frontend && node bench/frontend_first_load.mjs
//
// Starts `tessera dev` on a free port (embedded PostgreSQL in a temporary directory), signs a
// company up and switches CRM on through the API, then opens / in Debian's Chromium and sums
// the script responses. Target (issue 7): under 1 MB of compressed JavaScript.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { chromium } = createRequire(join(root, "frontend", "package.json"))("@playwright/test");
const TARGET = 1024 * 1024;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url, server) {
  for (let tries = 0; tries < 600; tries++) {
    if (server.exitCode !== null) throw new Error("tessera dev exited");
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 300));
  }
  throw new Error("tessera dev did not become ready");
}

async function signUp(url) {
  const slug = `bench-${Date.now().toString(36)}`;
  const made = await fetch(`${url}/api/v1/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      company_name: "First Load Bench",
      slug,
      name: "Owner",
      email: `${slug}@example.com`,
      password: "correct horse battery staple",
    }),
  });
  if (!made.ok) throw new Error(`sign-up failed: ${made.status} ${await made.text()}`);
  const cookies = made.headers.getSetCookie().map((line) => {
    const [pair] = line.split(";");
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url };
  });
  const { csrf_token: csrf } = await made.json();
  const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const enabled = await fetch(`${url}/api/v1/modules/crm/enable`, {
    method: "POST",
    headers: { Cookie: cookieHeader, "X-CSRF-Token": csrf },
  });
  if (!enabled.ok) throw new Error(`enabling CRM failed: ${enabled.status}`);
  return cookies;
}

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawn(join(root, ".venv", "bin", "tessera"), ["dev", "--port", String(port)], {
  env: {
    ...process.env,
    TESSERA_DATA_DIR: mkdtempSync(join(tmpdir(), "tessera-first-load-")),
    TESSERA_LOG_LEVEL: "WARNING",
    TESSERA_COOKIE_SECURE: "false",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
let browser;
try {
  await waitUntilReady(url, server);
  const cookies = await signUp(url);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const scripts = [];
  page.on("requestfinished", async (request) => {
    if (request.resourceType() !== "script") return;
    const response = await request.response();
    const sizes = await request.sizes();
    scripts.push({
      path: new URL(request.url()).pathname,
      sent: sizes.responseBodySize,
      encoding: response?.headers()["content-encoding"] ?? "none",
    });
  });
  await page.goto(`${url}/`, { waitUntil: "networkidle" });
  const total = scripts.reduce((sum, s) => sum + s.sent, 0);
  console.log(`first load of / (home dashboard, CRM on), empty cache, ${scripts.length} scripts:`);
  for (const s of scripts.sort((a, b) => b.sent - a.sent)) {
    console.log(`  ${(s.sent / 1024).toFixed(1).padStart(8)} KiB  ${s.encoding.padEnd(4)}  ${s.path}`);
  }
  const verdict = total < TARGET ? "met" : "NOT met";
  console.log(
    `  total ${(total / 1024).toFixed(1)} KiB of compressed JavaScript (target < 1024 KiB: ${verdict})`,
  );
} finally {
  await browser?.close();
  server.kill("SIGINT");
}
