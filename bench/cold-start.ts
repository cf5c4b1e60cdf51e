/**
 * Cold start of the single-machine command: `npm start` (build present, embedded Postgres
 * already initialised) until GET /api/ready answers 200, against the same run's baseline —
 * a bare `node:http` process answering its first 200.   npm run bench -- cold-start
 */
import { spawn, type ChildProcess } from "node:child_process";

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function untilOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM to the whole process group (npm → launcher → app), then wait for the port to free. */
async function stop(child: ChildProcess, url: string): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid!, "SIGTERM");
  await exited;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(url);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} still answering after stop`);
}

async function time(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  url: string,
): Promise<number> {
  const t = performance.now();
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    stdio: "ignore",
    detached: true,
  });
  await untilOk(url, 180_000);
  const ms = performance.now() - t;
  await stop(child, url);
  return ms;
}

async function main() {
  const env = {
    PORT: String(PORT),
    NEXTAUTH_URL: `http://localhost:${PORT}`,
    DATA_DIR: ".data/bench-start",
    EMBEDDED_PG_PORT: "54331",
    LOCAL_ISSUER_PORT: "8181",
    LOG_LEVEL: "warn",
  };
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  console.error("first start (initialises the embedded Postgres, builds if needed; not counted)…");
  await time(npm, ["start"], env, `http://localhost:${PORT}/api/ready`);

  const starts: number[] = [];
  const bare: number[] = [];
  const bareScript = `require("node:http").createServer((q, s) => s.end("ok")).listen(${PORT + 1})`;
  for (let i = 0; i < RUNS; i++) {
    starts.push(await time(npm, ["start"], env, `http://localhost:${PORT}/api/ready`));
    bare.push(
      await time(process.execPath, ["-e", bareScript], {}, `http://localhost:${PORT + 1}/`),
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const result = {
    bench: "cold-start",
    runs: RUNS,
    ready_ms: Math.round(median(starts)),
    baseline_ms: Math.round(median(bare)),
    ratio: Math.round((median(starts) / median(bare)) * 10) / 10,
    all_ready_ms: starts.map(Math.round),
  };
  console.log(
    `npm start → /api/ready 200: ${result.ready_ms} ms (median of ${RUNS}); bare node http first 200: ${result.baseline_ms} ms; ratio ${result.ratio}×`,
  );
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
