/**
 * What the campaign benchmarks share: worker processes started as `npm run worker` starts
 * them (same node flags), their peak RSS, a workspace with an audience, and a wait on a
 * campaign's status. App modules are imported lazily: bench-db.ts sets DATABASE_URL first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";
import type pg from "pg";

export type WorkerProcess = { child: ChildProcess; pid: number; label: string };

/** A /proc/<pid>/status figure in MB (VmRSS: now, VmHWM: peak). */
export function procMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Math.round(Number(line?.replace(/\D+/g, "") ?? 0) / 1024);
}

export function ms(since: number): number {
  return performance.now() - since;
}

export const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Bot credentials are sealed with SECRETS_ENCRYPTION_KEY: a throwaway one for the run (set
 * before any app module reads the environment; the worker processes inherit it).
 */
export function ensureSecretsKey() {
  process.env.SECRETS_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
}

// A benchmark that fails midway must not leave its worker processes behind.
const spawned = new Set<ChildProcess>();

/** `BENCH_CPU_PROF=<dir>`: each process writes a V8 CPU profile there when it exits. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}
process.once("exit", () => {
  for (const child of spawned) child.kill("SIGKILL");
});

/**
 * Starts a process with the worker role's node flags and waits for its `ready` line:
 * `src/server/main.ts --worker` (ready = "salestrack started") or another script.
 */
export async function startProcess({
  label,
  script = "src/server/main.ts",
  args = ["--worker"],
  ready = '"salestrack started"',
  env = {},
}: {
  label: string;
  script?: string;
  args?: string[];
  ready?: string;
  env?: Record<string, string>;
}): Promise<WorkerProcess> {
  const { nodeArgsFor } = await import("../scripts/node-args");
  const child = spawn(
    process.execPath,
    [
      ...nodeArgsFor(["--worker"]),
      ...profileArgs(),
      "--import",
      "tsx",
      path.resolve(script),
      ...args,
    ],
    {
      env: {
        ...process.env,
        SEED_DEMO_DATA: "false",
        // Info at least: the ready line is logged at info (bench-db defaults LOG_LEVEL to warn).
        LOG_LEVEL: process.env.LOG_LEVEL === "debug" ? "debug" : "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  spawned.add(child);
  child.once("exit", () => spawned.delete(child));
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${label} exited with ${code}`));
    child.once("exit", onExit);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (process.env.BENCH_VERBOSE || !line.includes('"level":30')) {
        console.error(`[${label}] ${line}`);
      }
      if (line.includes(ready)) {
        child.off("exit", onExit);
        resolve();
      }
    });
  });
  return { child, pid: child.pid!, label };
}

/** `count` worker processes (`src/server/main.ts --worker`), started in parallel. */
export function startWorkerProcesses(
  count: number,
  env: Record<string, string> = {},
): Promise<WorkerProcess[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => startProcess({ label: `worker ${i + 1}`, env })),
  );
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when every process has exited. */
export async function stopProcesses(workers: WorkerProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    workers.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.once("exit", () => (clearTimeout(timer), resolve()));
          child.kill("SIGTERM");
        }),
    ),
  );
}

export function peakRssMb(workers: WorkerProcess[]): number {
  return Math.max(...workers.map((w) => procMb(w.pid, "VmHWM")));
}

/** A workspace for the run (cool-off 7 days: every phone is new to it). */
export async function createBenchWorkspace(owner: pg.Client, slug: string): Promise<string> {
  const { rows } = await owner.query<{ id: string }>(
    "insert into workspace (slug, name, default_country) values ($1, $1, 'PY') returning id",
    [slug],
  );
  return rows[0]!.id;
}

/**
 * `count` contacts (`+5959<prefix><n>`, each with a name) in one new group, written set-based
 * as the owner; returns the group id.
 */
export async function seedAudience(
  owner: pg.Client,
  workspaceId: string,
  { count, prefix, group }: { count: number; prefix: string; group: string },
): Promise<string> {
  const {
    rows: [g],
  } = await owner.query<{ id: string }>(
    "insert into contact_group (workspace_id, name) values ($1, $2) returning id",
    [workspaceId, group],
  );
  await owner.query(
    `with c as (
       insert into contact (workspace_id, phone, nombre, source)
       select $1, '+5959' || $3 || lpad(g::text, 7, '0'), 'Cliente ' || g, 'manual'
         from generate_series(0, $2 - 1) g
       returning id)
     insert into contact_group_member (workspace_id, group_id, contact_id)
     select $1, $4, id from c`,
    [workspaceId, count, prefix, g!.id],
  );
  await owner.query("vacuum analyze contact, contact_group_member");
  return g!.id;
}

/** A bot and a draft campaign to the group, through the real services (as the system). */
export async function createCampaignDraft({
  workspaceId,
  groupId,
  bot,
  name,
  body = "Hola {{nombre}}, tenemos novedades para vos.",
}: {
  workspaceId: string;
  groupId: string;
  bot: Record<string, unknown>;
  name: string;
  body?: string;
}): Promise<{ botId: string; campaignId: string }> {
  const { withTenant } = await import("../src/server/db/tenant");
  const { createBot } = await import("../src/modules/bots/bots.service");
  const { createBotInput } = await import("../src/modules/bots/bots.schema");
  const { createCampaign } = await import("../src/modules/campaigns/campaigns.service");
  const { createCampaignInput } = await import("../src/modules/campaigns/campaigns.schema");
  const who = { workspaceId, actorUserId: null, meta: null };
  return withTenant({ workspaceId }, async (tx) => {
    const created = await createBot({ tx, ...who, input: createBotInput.parse(bot) });
    const campaign = await createCampaign({
      tx,
      ...who,
      input: createCampaignInput.parse({
        name,
        audience: { groupIds: [groupId] },
        templates: [{ kind: "text", body }],
        botIds: [created.bot.id],
      }),
    });
    return { botId: created.bot.id, campaignId: campaign.id };
  });
}

/** Polls the campaign row until its status is one of `statuses`; returns it. */
export async function waitForCampaignStatus(
  owner: pg.Client,
  campaignId: string,
  statuses: string[],
  { timeoutMs = 3_600_000, everyMs = 50 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<{ status: string; status_reason: string | null; total: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await owner.query<{
      status: string;
      status_reason: string | null;
      total: number;
    }>("select status, status_reason, total from campaign where id = $1", [campaignId]);
    const row = rows[0]!;
    if (statuses.includes(row.status)) return row;
    if (Date.now() > deadline)
      throw new Error(`campaign still ${row.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by the embedded bench Postgres's processes (children of its
 * postmaster, and the postmaster), or null against BENCH_DATABASE_URL.
 */
export function postgresCpuSeconds(): number | null {
  if (process.env.BENCH_DATABASE_URL) return null;
  try {
    const postmaster = readFileSync(".data/bench/postgres/postmaster.pid", "utf8").split("\n")[0];
    // Backends that ended (a pool closing idle connections) are counted in the postmaster's
    // cutime and cstime (14th and 15th fields) once it has reaped them.
    const own = readFileSync(`/proc/${postmaster}/stat`, "utf8");
    const ownFields = own.slice(own.lastIndexOf(")") + 2).split(" ");
    let total =
      cpuSeconds(Number(postmaster)) +
      (Number(ownFields[13]) + Number(ownFields[14])) / CLOCK_TICKS;
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (fields[1] === postmaster) total += cpuSeconds(Number(pid));
      } catch {
        // the process ended while we looked
      }
    }
    return total;
  } catch {
    return null;
  }
}
