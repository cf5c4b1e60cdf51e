import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";

/** The app under fuzz: its own port, data dir, database and local issuer, beside the others. */
export const FUZZ_APP_PORT = 3300;
export const FUZZ_APP_URL = `http://localhost:${FUZZ_APP_PORT}`;
export const FUZZ_DIR = path.resolve(".cache", "fuzz");
const DATA_DIR = ".data/fuzz";

export const FUZZ_APP_ENV = {
  PORT: String(FUZZ_APP_PORT),
  NEXTAUTH_URL: FUZZ_APP_URL,
  DATA_DIR,
  EMBEDDED_PG_PORT: "54337",
  LOCAL_ISSUER_PORT: "8280",
  METRICS_LISTEN: "off",
  LOG_LEVEL: "warn",
};

/** A fresh app (empty database, demo seed), its output in .cache/fuzz/app.log. */
export function startApp(): ChildProcess {
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(FUZZ_DIR, { recursive: true });
  const log = openSync(path.join(FUZZ_DIR, "app.log"), "w");
  return spawn("npm", ["start"], {
    stdio: ["ignore", log, log],
    env: { ...process.env, ...FUZZ_APP_ENV },
  });
}

export async function waitForApp(app: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`the app exited (${app.exitCode}); see app.log`);
    const res = await fetch(`${FUZZ_APP_URL}/api/ready`).catch(() => null);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the app was not ready within ${timeoutMs / 1000} s`);
}

export async function stopApp(app: ChildProcess): Promise<void> {
  if (app.exitCode !== null || app.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => app.once("exit", () => resolve()));
  app.kill("SIGTERM");
  await gone;
}

/** A real API key with every scope, made by the CLI against the running app's database. */
export function createApiKey(): string {
  const out = spawnSync(
    "npm",
    ["run", "-s", "cli", "--", "apikey", "create", "--workspace", "demo", "--name", "schemathesis"],
    { encoding: "utf8", env: { ...process.env, ...FUZZ_APP_ENV } },
  );
  const key = out.stdout.trim();
  if (out.status !== 0 || !key) throw new Error(`apikey create failed: ${out.stderr.trim()}`);
  return key;
}
