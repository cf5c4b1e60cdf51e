/**
 * Dispatch benchmark: a 200,000-recipient campaign on an unpaced sandbox bot (no latency, no
 * failures, no receipts) launched through the real service and sent by two worker processes
 * (`src/server/main.ts --worker`, started as `npm run worker` starts it), from launch to
 * `completed`, every recipient settled with its event, ledger row and rollup. Baselines from
 * the same run, on the same table, indexes and id scheme (other phones, other campaign ids):
 *   (a) pg-boss, one job per message, tuned (bench/job-per-message-worker.ts, two processes);
 *   (b) the SQL floor: the same rows written set-based in chunks of 500, no queue, no provider
 *       call, through the app role like the pipeline (before and after the pipeline; the
 *       faster run counts);
 *   (c) the design's floor (bench/dispatch-design-floor.ts): the pipeline's own statements
 *       (materialize, then claim and settle per batch) with no queue, provider or rendering,
 *       on its own audience of the same size — the bound on what this design can reach.
 *   npm run bench -- dispatch          (BENCH_MESSAGES=20000 for a quick run)
 */
import pg from "pg";
import { freshBenchDatabase } from "./bench-db";
import { designFloor } from "./dispatch-design-floor";
import {
  cpuSeconds,
  createBenchWorkspace,
  createCampaignDraft,
  ensureSecretsKey,
  ms,
  peakRssMb,
  postgresCpuSeconds,
  round,
  seedAudience,
  startProcess,
  startWorkerProcesses,
  stopProcesses,
  type WorkerProcess,
} from "./campaign-fixture";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const FLOOR_CONNECTIONS = Number(process.env.BENCH_FLOOR_CONNECTIONS ?? 2);
const CHUNK = 500;
// `pipeline` skips both baselines (for profiling the pipeline alone).
const ONLY = process.env.BENCH_ONLY;
const JOB_QUEUE = "bench.job-per-message";

type Scope = { workspaceId: string; campaignId: string };

/** CPU seconds of the given processes and of the bench Postgres, for a before/after diff. */
function cpuNow(pids: number[]) {
  return {
    node: pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    postgres: postgresCpuSeconds(),
  };
}

type CpuUsed = ReturnType<typeof cpuSince>;

function cpuSince(before: ReturnType<typeof cpuNow>, pids: number[]) {
  const now = cpuNow(pids);
  return {
    node_cpu_s: round(now.node - before.node, 1),
    postgres_cpu_s:
      now.postgres === null || before.postgres === null
        ? null
        : round(now.postgres - before.postgres, 1),
  };
}

/** Recipients of a baseline campaign, as materialize would build them (v7 ids in phone order). */
async function insertQueuedRecipients(
  owner: pg.Client,
  {
    workspaceId,
    botId,
    groupId,
    prefix,
  }: { workspaceId: string; botId: string; groupId: string; prefix: string },
): Promise<string> {
  const {
    rows: [c],
  } = await owner.query<{ id: string }>(
    `insert into campaign (workspace_id, name, audience, templates, bot_ids)
     values ($1, $2, '{"groupIds":[],"excludeGroupIds":[],"sources":[]}',
             '[{"kind":"text","body":"Hola"}]', array[$3::uuid]) returning id`,
    [workspaceId, `baseline ${prefix}`, botId],
  );
  await owner.query(
    `insert into campaign_recipient (workspace_id, campaign_id, id, contact_id, phone, nombre,
       group_id, group_name, bot_id, batch, template_index, status)
     select $1, $2, app_uuidv7(), gen_random_uuid(), '+5959' || $4 || lpad(g::text, 7, '0'),
            'Cliente ' || g, $5, 'Bench', $6, g / ${CHUNK}, 0, 'queued'
       from generate_series(0, $3 - 1) g`,
    [workspaceId, c!.id, MESSAGES, prefix, groupId, botId],
  );
  return c!.id;
}

/**
 * Settles the tables between phases, and folds the dashboards' counters up to now: the first
 * fold of a workspace rebuilds it from every event, and a phase's events left unfolded would
 * otherwise be folded (by the workers' `stats.fold`) inside the next phase's measured time.
 * Within a phase the workers fold its events every 2 s, as they do in production.
 */
async function settleTables(owner: pg.Client, workspaceId: string) {
  const { foldWorkspace } = await import("../src/modules/stats/fold.service");
  await foldWorkspace({ workspaceId });
  await owner.query(
    "vacuum analyze campaign_recipient, send_ledger, campaign_rollup, message_event",
  );
  await owner.query("checkpoint");
}

/**
 * Baseline (b): per chunk of 500, one statement moves the recipients `queued → sent` from
 * `unnest` and writes their events, ledger rows and rollup counters — what the pipeline's
 * claim and settle write, without the claim round trip, the queue or the provider call.
 */
async function sqlFloor(scope: Scope) {
  const { sql } = await import("drizzle-orm");
  const { withTenant } = await import("../src/server/db/tenant");
  const { upsertRollups } = await import("../src/modules/campaigns/rollups");
  const { workspaceId, campaignId } = scope;
  const chunks = await withTenant({ workspaceId }, async (tx) => {
    const { rows } = await tx.execute<{ ids: string[] }>(sql`
      select array_agg(id order by phone) as ids from campaign_recipient
       where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
       group by batch order by batch`);
    return rows.map((r) => r.ids);
  });
  const cpu = cpuNow([process.pid]);
  const t = performance.now();
  let next = 0;
  let written = 0;
  await Promise.all(
    Array.from({ length: FLOOR_CONNECTIONS }, async () => {
      while (next < chunks.length) {
        const ids = chunks[next++]!;
        const n = await withTenant({ workspaceId }, async (tx) => {
          const { rows } = await tx.execute<{ n: number }>(sql`
            with res as (select unnest(${sql.param(ids)}::uuid[]) as id),
            upd as (
              update campaign_recipient r set status = 'sent', attempts = r.attempts + 1,
                     provider_message_id = 'sbx_' || r.id, sent_at = now(), claimed_by = null,
                     updated_at = now()
                from res
               where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaignId}
                 and r.id = res.id and r.status = 'queued'
              returning r.id, r.phone, r.bot_id, r.group_id
            ),
            events as (
              insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type)
              select ${workspaceId}, ${campaignId}, id, bot_id, 'sent' from upd
            ),
            ledger as (
              insert into send_ledger (workspace_id, phone, last_sent_at, campaign_id, recipient_id)
              select ${workspaceId}, phone, now(), ${campaignId}, id from upd order by phone
              on conflict (workspace_id, phone) do update
                set last_sent_at = excluded.last_sent_at, campaign_id = excluded.campaign_id,
                    recipient_id = excluded.recipient_id
            ),
            counted as (select bot_id, group_id, 'sent'::text as status, 1 as n from upd),
            roll as (${upsertRollups(workspaceId, campaignId, "counted")})
            select count(*)::int as n from upd`);
          return rows[0]!.n;
        });
        written += n;
      }
    }),
  );
  const elapsed = ms(t);
  if (written !== MESSAGES) throw new Error(`SQL floor wrote ${written} of ${MESSAGES}`);
  return { ms: elapsed, cpu: cpuSince(cpu, [process.pid]) };
}

/**
 * Baseline (a): one pg-boss job per recipient, inserted 1,000 per statement (as `enqueueMany`
 * does) while two worker processes already consume them; timed from the first insert to the
 * last recipient sent.
 */
async function jobPerMessage(owner: pg.Client, scope: Scope) {
  const { getBoss } = await import("../src/server/queue/boss");
  const boss = await getBoss();
  await boss.createQueue(JOB_QUEUE, {});
  const { rows } = await owner.query<{ id: string }>(
    "select id from campaign_recipient where workspace_id = $1 and campaign_id = $2 order by phone",
    [scope.workspaceId, scope.campaignId],
  );
  const workers: WorkerProcess[] = await Promise.all(
    Array.from({ length: WORKERS }, (_, i) =>
      startProcess({
        label: `job-per-message ${i + 1}`,
        script: "bench/job-per-message-worker.ts",
        args: [JOB_QUEUE],
        ready: "ready",
      }),
    ),
  );
  const pids = [process.pid, ...workers.map((w) => w.pid)];
  const cpu = cpuNow(pids);
  const t = performance.now();
  const startedAt = Date.now();
  for (let i = 0; i < rows.length; i += 1000) {
    await boss.insert(
      JOB_QUEUE,
      rows.slice(i, i + 1000).map((r) => ({ data: { ...scope, id: r.id } })),
    );
  }
  const enqueueMs = ms(t);
  // Polled once a second (the count competes with the workers); the end is the last update's
  // own time, not when the poll noticed it.
  for (;;) {
    const { rows: left } = await owner.query<{ n: number }>(
      `select count(*)::int as n from campaign_recipient
        where workspace_id = $1 and campaign_id = $2 and status = 'queued'`,
      [scope.workspaceId, scope.campaignId],
    );
    if (left[0]!.n === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const used = cpuSince(cpu, pids);
  const {
    rows: [last],
  } = await owner.query<{ at: number }>(
    `select extract(epoch from max(sent_at)) * 1000 as at from campaign_recipient
      where workspace_id = $1 and campaign_id = $2`,
    [scope.workspaceId, scope.campaignId],
  );
  const totalMs = Number(last!.at) - startedAt;
  const peak = peakRssMb(workers);
  await stopProcesses(workers);
  return { totalMs, enqueueMs, peakRssMb: peak, cpu: used };
}

async function verify(owner: pg.Client, { workspaceId, campaignId }: Scope) {
  const q = async (text: string) =>
    Number((await owner.query<{ n: string }>(text, [workspaceId, campaignId])).rows[0]!.n);
  return {
    recipients_sent: await q(
      "select count(*) as n from campaign_recipient where workspace_id = $1 and campaign_id = $2 and status = 'sent'",
    ),
    events_sent: await q(
      "select count(*) as n from message_event where workspace_id = $1 and campaign_id = $2 and type = 'sent'",
    ),
    ledger_rows: await q(
      "select count(*) as n from send_ledger where workspace_id = $1 and campaign_id = $2",
    ),
    rollup_sent: await q(
      "select coalesce(sum(count), 0) as n from campaign_rollup where workspace_id = $1 and campaign_id = $2 and status = 'sent'",
    ),
  };
}

/** The campaign through the real service, from launch to `completed`, on running workers. */
async function pipeline(owner: pg.Client, workers: WorkerProcess[], scope: Scope) {
  const { launchCampaign } = await import("../src/modules/campaigns/campaign-launch.service");
  const pids = workers.map((w) => w.pid);
  const cpu = cpuNow(pids);
  const t = performance.now();
  await launchCampaign({ ...scope, actorUserId: null, meta: null, id: scope.campaignId });
  let materializedMs: number | null = null;
  for (;;) {
    const { rows } = await owner.query<{
      status: string;
      status_reason: string | null;
      total: number;
    }>("select status, status_reason, total from campaign where id = $1", [scope.campaignId]);
    const row = rows[0]!;
    if (materializedMs === null && row.total > 0) materializedMs = ms(t);
    if (["completed", "paused", "canceled", "failed"].includes(row.status)) {
      if (row.status !== "completed") {
        throw new Error(`campaign ended ${row.status} (${row.status_reason ?? "no reason"})`);
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const totalMs = ms(t);
  const used = cpuSince(cpu, pids);
  // When the first and last sends were recorded, from the campaign's own launch time.
  const {
    rows: [span],
  } = await owner.query<{ first_ms: number; last_ms: number }>(
    `select extract(epoch from min(e.occurred_at) - c.launched_at) * 1000 as first_ms,
            extract(epoch from max(e.occurred_at) - c.launched_at) * 1000 as last_ms
       from message_event e join campaign c on c.id = e.campaign_id
      where e.workspace_id = $1 and e.campaign_id = $2 and e.type = 'sent' group by c.launched_at`,
    [scope.workspaceId, scope.campaignId],
  );
  return {
    totalMs,
    materializedMs,
    firstSentMs: Number(span?.first_ms ?? NaN),
    lastSentMs: Number(span?.last_ms ?? NaN),
    cpu: used,
  };
}

async function main() {
  ensureSecretsKey();
  const db = await freshBenchDatabase("salestrack_bench_dispatch");
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const workspaceId = await createBenchWorkspace(owner, "bench-dispatch");
  console.error(`seeding ${MESSAGES} contacts and the baselines' recipients…`);
  const groupId = await seedAudience(owner, workspaceId, {
    count: MESSAGES,
    prefix: "1",
    group: "Bench",
  });
  const sandbox = { latencyMs: 0, failureRate: 0, deliveredAfterMs: null, readAfterMs: null };
  const { botId, campaignId } = await createCampaignDraft({
    workspaceId,
    groupId,
    name: "Dispatch",
    bot: {
      name: "Sandbox bench",
      kind: "sandbox",
      config: sandbox,
      concurrency: CONCURRENCY,
    },
  });
  const base = { workspaceId, botId, groupId };
  const baseline = async (prefix: string) => ({
    workspaceId,
    campaignId: await insertQueuedRecipients(owner, { ...base, prefix }),
  });
  const floorBefore = await baseline("2");
  // (c) sends to its own phones: the pipeline's would be inside the cool-off after it.
  const designGroup = await seedAudience(owner, workspaceId, {
    count: MESSAGES,
    prefix: "5",
    group: "Bench design floor",
  });
  const design = await createCampaignDraft({
    workspaceId,
    groupId: designGroup,
    name: "Design floor",
    bot: { name: "Sandbox design floor", kind: "sandbox", config: sandbox },
  });
  const floorAfter = await baseline("3");
  const perJob = await baseline("4");

  console.error(`starting ${WORKERS} worker processes…`);
  const workers = await startWorkerProcesses(WORKERS);
  const rssIdle = peakRssMb(workers);

  const floors: Awaited<ReturnType<typeof sqlFloor>>[] = [];
  if (ONLY !== "pipeline") {
    await settleTables(owner, workspaceId);
    console.error(`SQL floor (before the pipeline), ${FLOOR_CONNECTIONS} connections…`);
    floors.push(await sqlFloor(floorBefore));
  }
  let designRun: (Awaited<ReturnType<typeof designFloor>> & { cpu: CpuUsed }) | null = null;
  if (ONLY !== "pipeline") {
    await settleTables(owner, workspaceId);
    console.error(`design floor (pipeline statements alone), ${FLOOR_CONNECTIONS} connections…`);
    const cpu = cpuNow([process.pid]);
    const done = await designFloor(
      { workspaceId, campaignId: design.campaignId },
      FLOOR_CONNECTIONS,
    );
    designRun = { ...done, cpu: cpuSince(cpu, [process.pid]) };
    const designCounts = await verify(owner, { workspaceId, campaignId: design.campaignId });
    if (!Object.values(designCounts).every((n) => n === MESSAGES))
      throw new Error(`design floor incomplete: ${JSON.stringify(designCounts)}`);
  }

  await settleTables(owner, workspaceId);
  console.error("launching the campaign…");
  const run = await pipeline(owner, workers, { workspaceId, campaignId });
  const peakRss = peakRssMb(workers);
  const counts = await verify(owner, { workspaceId, campaignId });
  await stopProcesses(workers);

  let jpm: Awaited<ReturnType<typeof jobPerMessage>> | null = null;
  if (ONLY !== "pipeline") {
    await settleTables(owner, workspaceId);
    console.error("SQL floor (after the pipeline)…");
    floors.push(await sqlFloor(floorAfter));

    await settleTables(owner, workspaceId);
    console.error(`pg-boss, one job per message (${WORKERS} processes)…`);
    jpm = await jobPerMessage(owner, perJob);
    const jpmCounts = await verify(owner, perJob);
    if (jpmCounts.recipients_sent !== MESSAGES)
      throw new Error("job-per-message baseline incomplete");
  }

  const floor = floors.length ? floors.reduce((a, b) => (a.ms <= b.ms ? a : b)) : null;
  const perS = (t: number) => Math.round(MESSAGES / (t / 1000));
  const s = (t: number | null) => (t === null || Number.isNaN(t) ? null : round(t / 1000, 1));
  const ok = Object.values(counts).every((n) => n === MESSAGES);
  const result = {
    bench: "dispatch",
    messages: MESSAGES,
    workers: WORKERS,
    bot_concurrency: CONCURRENCY,
    wall_s: s(run.totalMs),
    messages_per_s: perS(run.totalMs),
    materialized_s: s(run.materializedMs),
    first_sent_s: s(run.firstSentMs),
    last_sent_s: s(run.lastSentMs),
    send_phase_per_s: perS(run.lastSentMs - run.firstSentMs),
    pipeline_cpu: run.cpu,
    job_per_message_s: jpm && s(jpm.totalMs),
    job_per_message_enqueue_s: jpm && s(jpm.enqueueMs),
    job_per_message_per_s: jpm && perS(jpm.totalMs),
    job_per_message_cpu: jpm?.cpu ?? null,
    sql_floor_s: floor && s(floor.ms),
    sql_floor_runs_s: floors.map((f) => s(f.ms)),
    sql_floor_per_s: floor && perS(floor.ms),
    sql_floor_connections: FLOOR_CONNECTIONS,
    sql_floor_cpu: floor?.cpu ?? null,
    design_floor_s: designRun && s(designRun.ms),
    design_floor_materialized_s: designRun && s(designRun.materializedMs),
    design_floor_per_s: designRun && perS(designRun.ms),
    design_floor_cpu: designRun?.cpu ?? null,
    // What the design can reach at best, and how close the pipeline comes to it.
    design_floor_ratio_vs_sql_floor: designRun && floor && round(floor.ms / designRun.ms, 2),
    ratio_vs_design_floor: designRun && round(designRun.ms / run.totalMs, 2),
    ratio_vs_job_per_message: jpm && round(jpm.totalMs / run.totalMs, 2),
    ratio_vs_sql_floor: floor && round(floor.ms / run.totalMs, 2),
    // The floor writes states only; the pipeline also builds the recipients (materialize).
    send_phase_ratio_vs_sql_floor: floor && round(floor.ms / (run.lastSentMs - run.firstSentMs), 2),
    peak_rss_mb: peakRss,
    idle_rss_mb: rssIdle,
    job_per_message_peak_rss_mb: jpm?.peakRssMb ?? null,
    counts,
    counts_ok: ok,
  };
  console.log(
    `pipeline: ${result.messages_per_s} messages/s (${result.wall_s} s for ${MESSAGES}; recipients built at ${result.materialized_s} s, sends from ${result.first_sent_s} s to ${result.last_sent_s} s, i.e. ${result.send_phase_per_s}/s; CPU ${JSON.stringify(run.cpu)})`,
  );
  if (jpm) {
    console.log(
      `baseline (a) pg-boss, one job per message: ${result.job_per_message_per_s} messages/s (${result.job_per_message_s} s, of which enqueueing ${result.job_per_message_enqueue_s} s) → pipeline ${result.ratio_vs_job_per_message}×`,
    );
  }
  if (floor) {
    console.log(
      `baseline (b) SQL floor: ${result.sql_floor_per_s} messages/s (runs ${result.sql_floor_runs_s.join(" / ")} s, ${FLOOR_CONNECTIONS} connections) → pipeline at ${result.ratio_vs_sql_floor}× of it (send phase alone ${result.send_phase_ratio_vs_sql_floor}×)`,
    );
  }
  if (designRun && floor) {
    console.log(
      `reference (c) design floor, the pipeline's statements alone: ${result.design_floor_per_s} messages/s (${result.design_floor_s} s, recipients built in ${result.design_floor_materialized_s} s) = ${result.design_floor_ratio_vs_sql_floor}× the SQL floor → pipeline at ${result.ratio_vs_design_floor}× of it`,
    );
  }
  console.log(
    `counts ${ok ? "ok" : "WRONG"}: ${JSON.stringify(counts)}; worker peak RSS ${peakRss} MB (${rssIdle} MB idle)`,
  );
  console.log(JSON.stringify(result));

  const { stopBoss } = await import("../src/server/queue/boss");
  const { closeDatabase } = await import("../src/server/db/client");
  await owner.end();
  await stopBoss();
  await closeDatabase();
  await db.stop();
  if (!ok) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
