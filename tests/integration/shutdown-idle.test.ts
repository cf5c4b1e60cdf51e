/**
 * SIGTERM on an idle worker ends it in a moment, not at the drain deadline. An idle worker is
 * never without a running job: `stats.fold` keeps folding dashboard counters for a minute at
 * a time (jobs/stats/fold.job.ts). pg-boss's graceful stop waits for running handlers, so
 * unless that loop ends on shutdown every stop sits out SHUTDOWN_TIMEOUT_SECONDS (default
 * 20 s) and then fails the job. The worker gets a database of its own (it works every queue).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createOwnDatabase, ownDatabaseUrl, type OwnDatabase } from "../helpers/own-database";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DRAIN_SECONDS = 20;
/** Far below the drain deadline, far above an idle stop (under a second on a quiet machine). */
const IDLE_EXIT_WITHIN_MS = 10_000;

let db: OwnDatabase;
let url: string;
let probe: pg.Client;
let child: ChildProcess | null = null;

beforeAll(async () => {
  db = await createOwnDatabase(ownDatabaseUrl("salestrack_idle"));
  url = db.url;

  // src/env.ts reads process.env once, at import: point it at this database first.
  process.env.DATABASE_URL = url;
  const { enqueue } = await import("@jobs/enqueue");
  const { foldStats } = await import("@jobs/stats/fold.job");
  const { stopBoss } = await import("@/server/queue/boss");
  const { closeDatabase } = await import("@/server/db/client");
  // The fold chain's first job, waiting for the worker (its cron would queue one within a minute).
  await enqueue(foldStats, {});
  await stopBoss(1_000);
  await closeDatabase();

  probe = new pg.Client({ connectionString: url });
  await probe.connect();
}, 120_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null) child.kill("SIGKILL");
  await probe?.end();
  await db?.drop();
});

async function foldStates(): Promise<string[]> {
  const { rows } = await probe.query<{ state: string }>(
    `select state::text from pgboss.job where name = 'stats.fold' order by created_on`,
  );
  return rows.map((r) => r.state);
}

it("an idle worker (stats.fold running) exits 0 within seconds of SIGTERM", async () => {
  let output = "";
  child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts", "--worker"], {
    cwd: path.resolve("."),
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: url,
      DATABASE_APP_URL: "",
      SHUTDOWN_TIMEOUT_SECONDS: String(DRAIN_SECONDS),
      SEED_DEMO_DATA: "false",
      METRICS_LISTEN: "off",
      LOG_LEVEL: "info",
    },
  });
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

  const deadline = Date.now() + 60_000;
  while (!(await foldStates()).includes("active")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`stats.fold never ran in the worker:\n${output.slice(-3000)}`);
    }
    await sleep(200);
  }
  await sleep(500); // a fold pass in, waiting for its next tick

  const t0 = Date.now();
  child.kill("SIGTERM");
  const timeout = sleep((DRAIN_SECONDS + 15) * 1000).then(() => "timeout" as const);
  const result = await Promise.race([exited, timeout]);
  const ms = Date.now() - t0;
  if (result === "timeout") throw new Error(`still running after SIGTERM:\n${output.slice(-3000)}`);
  expect(result[0], output.slice(-3000)).toBe(0);
  expect(ms, output.slice(-3000)).toBeLessThan(IDLE_EXIT_WITHIN_MS);
  // The fold ended on its own (completed), rather than being failed by pg-boss at the deadline.
  expect(await foldStates()).toEqual(["completed"]);
}, 120_000);
