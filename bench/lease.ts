/**
 * Lease benchmark: BENCH_TASKS (50,000) PENDING tasks for BENCH_BOTS (4) agent bots, pulled
 * by BENCH_AGENTS (20) concurrent agents through the real agent API on an ingest process
 * (`src/server/main.ts --ingest`, what `npm run ingest` runs: the fast lane only), HTTP Basic
 * with the bot's id and secret: each agent pulls up to BENCH_PULL (10)
 * tasks, posts one result per task (in parallel, as the SDK's runAgent does), and pulls again
 * until its bot has no task left. Every lease is recorded (task, attempt, from the pull's
 * request to the result's answer) and checked afterwards: no task held by two agents at once,
 * and each task's events read leased → succeeded, once.
 * Baseline from the same run: the same number of tasks (other bots, same table and indexes)
 * claimed by the same 20 agents as one plain `UPDATE … WHERE id IN (SELECT … FOR UPDATE
 * SKIP LOCKED LIMIT n) RETURNING` and settled by one `UPDATE` per task, straight on a
 * connection each — no HTTP, auth, RLS, advisory lock, concurrency count, pacing or events.
 *   npm run bench -- lease          (BENCH_TASKS=5000 for a quick run)
 */
import pg from "pg";
import { freshBenchDatabase } from "./bench-db";
import {
  cpuSeconds,
  createBenchWorkspace,
  ensureSecretsKey,
  postgresCpuSeconds,
  round,
} from "./campaign-fixture";
import { startServerProcess } from "./webhooks-fixture";

const TASKS = Number(process.env.BENCH_TASKS ?? 50_000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const BOTS = Number(process.env.BENCH_BOTS ?? 4);
const PULL = Number(process.env.BENCH_PULL ?? 10);
/** Enough for every agent of a bot to hold a full pull (the bots' limit is 64). */
const CONCURRENCY = Math.min(64, Math.ceil(AGENTS / BOTS) * PULL);
const ACTION = "bench.visit";

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Bot = { id: string; secret: string; tasks: number };
/** One attempt as the agent saw it: from sending the pull to the result's answer. */
type Lease = { taskId: string; attempt: number; agent: number; from: number; to: number };
type RunFigures = {
  seconds: number;
  leases: Lease[];
  pulls: number;
  emptyPulls: number;
  refused: Record<string, number>;
  /** Postgres CPU seconds of the baseline's run (its backends, counted before they exit). */
  pgCpu?: number | null;
};

/** `count` agent bots created through the bots service (their secret shown once). */
async function createAgentBots(workspaceId: string, count: number, label: string) {
  const { withTenant } = await import("../src/server/db/tenant");
  const { createBot } = await import("../src/modules/bots/bots.service");
  const { createBotInput } = await import("../src/modules/bots/bots.schema");
  const who = { workspaceId, actorUserId: null, meta: null };
  const bots: Bot[] = [];
  for (let i = 0; i < count; i++) {
    const { bot, secret } = await withTenant({ workspaceId }, (tx) =>
      createBot({
        tx,
        ...who,
        input: createBotInput.parse({
          name: `${label} ${i + 1}`,
          kind: "agent",
          config: {},
          concurrency: CONCURRENCY,
        }),
      }),
    );
    const share = Math.floor(TASKS / count) + (i < TASKS % count ? 1 : 0);
    bots.push({ id: bot.id, secret: secret!, tasks: share });
  }
  return bots;
}

/** The bots' tasks as the service writes them (time-ordered ids, a `created` event each). */
async function seedTasks(owner: pg.Client, workspaceId: string, bots: Bot[]) {
  for (const bot of bots) {
    await owner.query(
      `with t as (
         insert into bot_task (workspace_id, id, bot_id, action, payload)
         select $1, app_uuidv7(), $2, $3, jsonb_build_object('url', 'https://example.test/' || g)
           from generate_series(1, $4) g
         returning id)
       insert into task_event (workspace_id, task_id, bot_id, type)
       select $1, id, $2, 'created' from t`,
      [workspaceId, bot.id, ACTION, bot.tasks],
    );
  }
}

/** The agents' bots: agent i works for bot i mod BOTS. */
const botOf = (bots: Bot[], agent: number) => bots[agent % bots.length]!;

async function runAgents(base: string, bots: Bot[]): Promise<RunFigures> {
  const settled = new Map(bots.map((b) => [b.id, 0]));
  const leases: Lease[] = [];
  const refused: Record<string, number> = {};
  let pulls = 0;
  let emptyPulls = 0;

  async function call(auth: string, path: string, body: unknown) {
    for (;;) {
      const res = await fetch(`${base}/api/v1/agent${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: auth },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status === 200) return json;
      refused[res.status] = (refused[res.status] ?? 0) + 1;
      if (res.status !== 429 && res.status < 500) {
        throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
      }
      await sleep(Number(res.headers.get("retry-after") ?? 1) * 1000);
    }
  }

  async function agent(n: number) {
    const bot = botOf(bots, n);
    const auth = `Basic ${Buffer.from(`${bot.id}:${bot.secret}`).toString("base64")}`;
    while (settled.get(bot.id)! < bot.tasks) {
      const from = now();
      const { tasks, retryAfterSeconds } = (await call(auth, "/pull", {
        limit: PULL,
        worker: `agent-${n}`,
      })) as { tasks: { id: string; attempt: number }[]; retryAfterSeconds: number | null };
      pulls++;
      if (tasks.length === 0) {
        emptyPulls++;
        // The bot's last tasks are in other agents' hands (or it is at its concurrency).
        await sleep(retryAfterSeconds ? retryAfterSeconds * 1000 : 20);
        continue;
      }
      await Promise.all(
        tasks.map(async (task) => {
          const answer = await call(auth, `/tasks/${task.id}/result`, {
            ok: true,
            attempt: task.attempt,
            providerMessageId: `bench-${task.id}`,
          });
          if (answer.status !== "SUCCEEDED" || answer.changed !== true) {
            throw new Error(`result for ${task.id} answered ${JSON.stringify(answer)}`);
          }
          leases.push({ taskId: task.id, attempt: task.attempt, agent: n, from, to: now() });
          settled.set(bot.id, settled.get(bot.id)! + 1);
        }),
      );
    }
  }

  const started = now();
  await Promise.all(Array.from({ length: AGENTS }, (_, n) => agent(n)));
  return { seconds: (now() - started) / 1000, leases, pulls, emptyPulls, refused };
}

/** Baseline: one connection per agent, a plain claim and one settle per task. */
async function runBaseline(url: string, workspaceId: string, bots: Bot[]): Promise<RunFigures> {
  const settled = new Map(bots.map((b) => [b.id, 0]));
  const leases: Lease[] = [];
  let pulls = 0;
  let emptyPulls = 0;
  const clients = await Promise.all(
    Array.from({ length: AGENTS }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );

  async function agent(n: number) {
    const bot = botOf(bots, n);
    const db = clients[n]!;
    while (settled.get(bot.id)! < bot.tasks) {
      const from = now();
      const { rows } = await db.query<{ id: string; attempts: number }>(
        `update bot_task
            set status = 'LEASED', attempts = attempts + 1, lease_owner = $4,
                lease_expires_at = now() + interval '60 seconds', attempt_started_at = now(),
                updated_at = now()
          where workspace_id = $1 and id in (
                select id from bot_task
                 where workspace_id = $1 and bot_id = $2 and status = 'PENDING'
                   and scheduled_for <= now()
                 order by priority desc, id
                 limit $3
                   for update skip locked)
         returning id, attempts`,
        [workspaceId, bot.id, PULL, `agent-${n}`],
      );
      pulls++;
      if (rows.length === 0) {
        emptyPulls++;
        await sleep(20);
        continue;
      }
      for (const task of rows) {
        {
          await db.query(
            `update bot_task
                set status = 'SUCCEEDED', lease_owner = null, lease_expires_at = null,
                    attempt_started_at = null, error = null, result = $3, finished_at = now(),
                    updated_at = now()
              where workspace_id = $1 and id = $2`,
            [workspaceId, task.id, { providerMessageId: `bench-${task.id}` }],
          );
          leases.push({ taskId: task.id, attempt: task.attempts, agent: n, from, to: now() });
          settled.set(bot.id, settled.get(bot.id)! + 1);
        }
      }
    }
  }

  const pg0 = postgresCpuSeconds();
  const started = now();
  await Promise.all(Array.from({ length: AGENTS }, (_, n) => agent(n)));
  const seconds = (now() - started) / 1000;
  const pgCpu = pg0 === null ? null : round(postgresCpuSeconds()! - pg0, 1);
  await Promise.all(clients.map((c) => c.end()));
  return { seconds, leases, pulls, emptyPulls, refused: {}, pgCpu };
}

/** Pairs of one task's leases whose intervals overlap: two agents holding it at once. */
function overlappingLeases(leases: Lease[]): number {
  const byTask = new Map<string, Lease[]>();
  for (const l of leases) byTask.set(l.taskId, [...(byTask.get(l.taskId) ?? []), l]);
  let overlaps = 0;
  for (const list of byTask.values()) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length && list[j]!.from < list[i]!.to; j++) overlaps++;
    }
  }
  return overlaps;
}

/**
 * The server's own record: per task, a `leased` event may only follow the end of the
 * previous attempt. Returns leases that started while another was open, tasks not leased
 * exactly once, and tasks that did not end SUCCEEDED.
 */
async function checkServerRecord(owner: pg.Client, workspaceId: string, bots: Bot[]) {
  const ids = bots.map((b) => b.id);
  const { rows } = await owner.query<{ task_id: string; type: string }>(
    `select task_id, type from task_event
      where workspace_id = $1 and bot_id = any($2) and type <> 'created'
      order by task_id, id`,
    [workspaceId, ids],
  );
  let doubleLeases = 0;
  const leasedTimes = new Map<string, number>();
  const open = new Set<string>();
  for (const { task_id: task, type } of rows) {
    if (type === "leased") {
      if (open.has(task)) doubleLeases++;
      open.add(task);
      leasedTimes.set(task, (leasedTimes.get(task) ?? 0) + 1);
    } else open.delete(task);
  }
  const {
    rows: [state],
  } = await owner.query<{ unfinished: number; retried: number }>(
    `select count(*) filter (where status <> 'SUCCEEDED')::int as unfinished,
            count(*) filter (where attempts <> 1)::int as retried
       from bot_task where workspace_id = $1 and bot_id = any($2)`,
    [workspaceId, ids],
  );
  return {
    eventDoubleLeases: doubleLeases,
    notLeasedOnce: [...leasedTimes.values()].filter((n) => n !== 1).length,
    withoutLeaseEvent: TASKS - leasedTimes.size,
    unfinished: state!.unfinished,
    retried: state!.retried,
  };
}

async function main() {
  ensureSecretsKey();
  const db = await freshBenchDatabase("salestrack_bench_lease");
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const workspaceId = await createBenchWorkspace(owner, "bench-lease");
  await owner.query(
    `insert into task_action (workspace_id, name, schema)
     values ($1, $2, '{"type":"object","properties":{"url":{"type":"string"}}}')`,
    [workspaceId, ACTION],
  );
  const bots = await createAgentBots(workspaceId, BOTS, "Agent");
  const baselineBots = await createAgentBots(workspaceId, BOTS, "Baseline agent");
  console.error(`seeding ${TASKS} tasks for the agents and ${TASKS} for the baseline…`);
  await seedTasks(owner, workspaceId, bots);
  await seedTasks(owner, workspaceId, baselineBots);
  await owner.query("vacuum analyze bot_task, task_event");

  const server = await startServerProcess("ingest", "src/server/main.ts", ["--ingest"], {
    DATABASE_URL: db.url,
    METRICS_LISTEN: "off",
    SEED_DEMO_DATA: "false",
    LOG_LEVEL: "warn",
  });
  const serverPid = server.child.pid!;
  const setup =
    `${AGENTS} agents on ${BOTS} agent bots (${Math.ceil(AGENTS / BOTS)} agents a bot, ` +
    `bot concurrency ${CONCURRENCY}, pulls of up to ${PULL}, one result per task)`;
  console.error(`${setup}: ${TASKS} tasks through the agent API…`);
  const cpu0 = { server: cpuSeconds(serverPid), pg: postgresCpuSeconds() };
  const api = await runAgents(server.url, bots);
  const cpu = {
    server: round(cpuSeconds(serverPid) - cpu0.server, 1),
    pg: cpu0.pg === null ? null : round(postgresCpuSeconds()! - cpu0.pg, 1),
  };
  await server.stop();
  const record = await checkServerRecord(owner, workspaceId, bots);

  await owner.query("vacuum analyze bot_task");
  console.error(`baseline: ${TASKS} tasks claimed with plain SKIP LOCKED updates…`);
  const floor = await runBaseline(db.url, workspaceId, baselineBots);
  const floorPgCpu = floor.pgCpu ?? null;
  const floorRecord = await checkServerRecord(owner, workspaceId, baselineBots);

  const leasesPerS = api.leases.length / api.seconds;
  const baselinePerS = floor.leases.length / floor.seconds;
  const doubleLeases = overlappingLeases(api.leases) + record.eventDoubleLeases;
  const result = {
    bench: "lease",
    tasks: TASKS,
    agents: AGENTS,
    bots: BOTS,
    bot_concurrency: CONCURRENCY,
    pull_limit: PULL,
    seconds: round(api.seconds, 2),
    leases_per_s: round(leasesPerS, 1),
    double_leases: doubleLeases,
    client_overlaps: overlappingLeases(api.leases),
    event_double_leases: record.eventDoubleLeases,
    not_leased_once: record.notLeasedOnce,
    without_lease_event: record.withoutLeaseEvent,
    unfinished: record.unfinished,
    retried: record.retried,
    pulls: api.pulls,
    empty_pulls: api.emptyPulls,
    refused: api.refused,
    cpu_s_server: cpu.server,
    cpu_s_postgres: cpu.pg,
    baseline_seconds: round(floor.seconds, 2),
    baseline_leases_per_s: round(baselinePerS, 1),
    baseline_double_leases: overlappingLeases(floor.leases),
    baseline_unfinished: floorRecord.unfinished,
    baseline_cpu_s_postgres: floorPgCpu,
    ratio: round(leasesPerS / baselinePerS, 3),
  };
  console.log(
    `agent API: ${api.leases.length} leases in ${result.seconds} s = ${result.leases_per_s} leases/s ` +
      `(${setup}; ${api.pulls} pulls, ${api.emptyPulls} empty; refused ${JSON.stringify(api.refused)}; ` +
      `CPU s: server ${cpu.server}, postgres ${cpu.pg ?? "?"})`,
  );
  console.log(
    `checks: ${result.client_overlaps} overlapping leases seen by the agents, ${record.eventDoubleLeases} leases ` +
      `opened over an open one in task_event, ${record.notLeasedOnce} tasks leased more than once, ` +
      `${record.withoutLeaseEvent} without a lease event, ${record.unfinished} not SUCCEEDED, ${record.retried} retried`,
  );
  console.log(
    `baseline (plain UPDATE … SKIP LOCKED claim + one UPDATE per result, ${AGENTS} connections): ` +
      `${floor.leases.length} in ${result.baseline_seconds} s = ${result.baseline_leases_per_s} leases/s ` +
      `(postgres CPU s ${floorPgCpu ?? "?"}); ratio ${result.ratio}×`,
  );
  console.log(JSON.stringify(result));

  const { closeDatabase } = await import("../src/server/db/client");
  await owner.end();
  await closeDatabase();
  await db.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
