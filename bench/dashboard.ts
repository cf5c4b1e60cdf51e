/**
 * Dashboard benchmark: one workspace with BENCH_EVENTS message events (default 10,000,000)
 * over 13 months plus 9 smaller ones (1% each), written set-based as the owner (recipients
 * with group, bot and contact; events sent / delivered or failed / read or retry), then folded
 * into the stats tables by the same statement the `stats.fold` job runs (a rebuild). Every
 * stats procedure is then called 200 times through the real tRPC caller (membership check,
 * RLS transaction) with varied ranges and filters, first at BENCH_SMALL events (default
 * 100,000) and again at BENCH_EVENTS: p50/p95 per procedure at both sizes, and the same
 * answers computed with plain GROUP BY over the raw events (BENCH_BASELINE_RUNS times).
 * Apart from those, FIRST_VIEWS first views of custom periods never viewed before, twice:
 * summed from the period's contact-days in Postgres (a process that holds none yet) and ranked
 * from the contact-days held in memory (after the fill, timed), and what keeping each period
 * then costs in the background.
 * One bot task per 10 events (mostly finished, over the same 13 months, each with its final
 * task event) feeds `stats.tasks` through the same fold.
 * The dashboard's server time: the batch of procedures its page asks for on load (KPIs,
 * range summary, timeline, groups, failures, bots, tasks, monthly trend, top contacts of the
 * range), run concurrently as the tRPC batch handler runs them, CALLS times at each size,
 * against the same batch answered by GROUP BYs over the raw rows.
 * The page's server render (bench/dashboard-render.ts): at each size the real web process
 * (production build; `next build` first when .next has none) is started on the bench
 * database, an admin of the big workspace signed in, and GET /dashboard timed to its last
 * byte BENCH_RENDER_CALLS (100) times against GET /bots with the same session and layout.
 *   npm run bench -- dashboard           (BENCH_EVENTS=1000000 for a quicker run)
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { pct, pick, viewerCaller } from "./bench-caller";
import { freshBenchDatabase, ownBenchServer } from "./bench-db";
import {
  createBenchWorkspace,
  ensureSecretsKey,
  ms,
  round,
  seedAudience,
} from "./campaign-fixture";
import { createAdmin, describeRender, ensureBuild, measureRender } from "./dashboard-render";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const SMALL = Math.min(Number(process.env.BENCH_SMALL ?? 100_000), EVENTS);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 3);
const FIRST_VIEWS = 40;
const CONTACTS = 50_000;
const GROUPS = 12;
const BOTS = 8;
const CAMPAIGNS = 150;
const DAYS = 395;
const CHUNK = 1_000_000;
const OTHERS = 9;

type Dataset = {
  workspaceId: string;
  groupIds: string[];
  botIds: string[];
  campaignIds: string[];
  contactIds: string[];
};

async function seedWorkspace(owner: pg.Client, slug: string, contacts: number): Promise<Dataset> {
  const workspaceId = await createBenchWorkspace(owner, slug);
  const groupIds: string[] = [];
  for (let g = 0; g < GROUPS; g++)
    groupIds.push(
      await seedAudience(owner, workspaceId, {
        count: Math.ceil(contacts / GROUPS),
        prefix: `${slug.length % 10}${String(g).padStart(2, "0")}`,
        group: `Grupo ${g}`,
      }),
    );
  const bots = await owner.query<{ id: string }>(
    `insert into bot (workspace_id, name, kind) select $1, 'Bot ' || b, 'sandbox' from generate_series(1, $2) b returning id`,
    [workspaceId, BOTS],
  );
  const campaigns = await owner.query<{ id: string }>(
    `insert into campaign (workspace_id, name, status, audience, templates, bot_ids)
     select $1, 'Campaña ' || k, 'completed', '{"groupIds":[],"excludeGroupIds":[],"sources":[]}',
            '[{"kind":"text","body":"Hola"}]', '{}' from generate_series(1, $2) k returning id`,
    [workspaceId, CAMPAIGNS],
  );
  const contactRows = await owner.query<{ id: string }>(
    "select id from contact where workspace_id = $1 order by phone",
    [workspaceId],
  );
  return {
    workspaceId,
    groupIds,
    botIds: bots.rows.map((r) => r.id),
    campaignIds: campaigns.rows.map((r) => r.id),
    contactIds: contactRows.rows.map((r) => r.id),
  };
}

/**
 * Events [from, to) of a workspace: recipient n = e / 3 (campaign n mod 150, spread over
 * 13 months by campaign; group, bot and contact by n), three events each.
 */
async function addEvents(owner: pg.Client, d: Dataset, from: number, to: number) {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(start + CHUNK, to);
    await owner.query(
      `insert into campaign_recipient (workspace_id, campaign_id, id, contact_id, phone, group_id, bot_id, status)
       select $1::uuid, ($4::uuid[])[1 + n % array_length($4::uuid[], 1)], md5($1::text || ':' || n)::uuid,
              ($7::uuid[])[1 + n % array_length($7::uuid[], 1)], '+1' || n,
              ($5::uuid[])[1 + n % array_length($5::uuid[], 1)],
              ($6::uuid[])[1 + n % array_length($6::uuid[], 1)], 'sent'
         from generate_series(($2::bigint + 2) / 3, ($3::bigint - 1) / 3) n`,
      [d.workspaceId, start, end, d.campaignIds, d.groupIds, d.botIds, d.contactIds],
    );
    await owner.query(
      `insert into message_event (workspace_id, occurred_at, campaign_id, recipient_id, bot_id, type, code)
       select $1::uuid,
              date_trunc('day', now())
                - make_interval(days => ((n % array_length($4::uuid[], 1)) * $6::int / array_length($4::uuid[], 1))::int)
                + make_interval(secs => (n % 36000 + e % 3 * 60)::int),
              ($4::uuid[])[1 + n % array_length($4::uuid[], 1)], md5($1::text || ':' || n)::uuid,
              ($5::uuid[])[1 + n % array_length($5::uuid[], 1)],
              case e % 3 when 0 then 'sent' when 1 then case when n % 10 = 0 then 'failed' else 'delivered' end
                         else case when n % 2 = 0 then 'read' else 'retry' end end,
              case when e % 3 = 1 and n % 10 = 0 then (array['wa_131026', 'wa_131047', 'sandbox_failed'])[1 + n % 3] end
         from generate_series($2::bigint, $3::bigint - 1) e, lateral (select e / 3 as n) x`,
      [d.workspaceId, start, end, d.campaignIds, d.botIds, DAYS],
    );
  }
}

/**
 * Bot tasks [from, to) of a workspace, each finished one with its final task event: bot and
 * action by n, finished over the same 13 months as the events after 1–60 s; 1% still
 * pending, the rest succeeded, failed, timed out or canceled.
 */
async function addTasks(owner: pg.Client, d: Dataset, from: number, to: number) {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(start + CHUNK, to);
    await owner.query(
      `with t as (
         select md5($1::text || ':task:' || n)::uuid as id, ($4::uuid[])[1 + n % array_length($4::uuid[], 1)] as bot_id,
                (array['send_message', 'scrape', 'sync_crm', 'follow_up'])[1 + n % 4] as action, s.status,
                case when s.status <> 'PENDING' then f.at - make_interval(secs => 1 + n % 60) end as started_at,
                case when s.status <> 'PENDING' then f.at end as finished_at
           from generate_series($2::bigint, $3::bigint - 1) n,
                lateral (select date_trunc('day', now())
                   - make_interval(days => (n % 997 * $5::int / 997)::int)
                   + make_interval(secs => (n % 36000)::int) as at) f,
                lateral (select case when n % 100 = 0 then 'PENDING' when n % 100 < 86 then 'SUCCEEDED'
                                     when n % 100 < 94 then 'FAILED' when n % 100 < 98 then 'TIMED_OUT'
                                     else 'CANCELED' end as status) s
       ),
       tasks as (
         insert into bot_task (workspace_id, id, bot_id, action, status, attempts, started_at, finished_at)
         select $1::uuid, id, bot_id, action, status::task_status, 1, started_at, finished_at from t
       )
       insert into task_event (workspace_id, occurred_at, task_id, bot_id, type)
       select $1::uuid, finished_at, id, bot_id, lower(status) from t where finished_at is not null`,
      [d.workspaceId, start, end, d.botIds, DAYS],
    );
  }
}

function localDay(offsetDays: number) {
  return new Date(Date.now() - offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The stats procedures with varied inputs, as the dashboard calls them. */
function procedures(d: Dataset) {
  const filters = () => {
    const r = Math.random();
    return r < 0.5
      ? {}
      : r < 0.7
        ? { groupId: pick(d.groupIds) }
        : r < 0.85
          ? { botId: pick(d.botIds) }
          : { campaignId: pick(d.campaignIds) };
  };
  const range = () => {
    const days = pick([1, 7, 30, 90, 365]);
    const end = Math.floor(Math.random() * 30);
    return { from: localDay(end + days - 1), to: localDay(end) };
  };
  return {
    summary: (c: Caller) => c.stats.summary({ ...range(), ...filters() }),
    timeline: (c: Caller) => {
      const bucket = pick(["hour", "day", "month"] as const);
      const days = bucket === "hour" ? pick([1, 2, 7]) : bucket === "day" ? pick([7, 30, 90]) : 395;
      return c.stats.timeline({ from: localDay(days - 1), to: localDay(0), bucket, ...filters() });
    },
    byGroup: (c: Caller) => c.stats.byGroup({ ...range(), ...filters() }),
    byContact: (c: Caller) =>
      c.stats.byContact({
        limit: pick([10, 20, 50]),
        page: pick([1, 1, 2, 10]),
        sort: pick(["sent", "failed", "lastAt"] as const),
        ...(Math.random() < 0.3 ? { groupId: pick(d.groupIds) } : {}),
      }),
    // The range presets (today, 7 and 30 days to today): served from the per-contact windows.
    byContactPeriod: (c: Caller) => {
      const days = pick([1, 7, 30, 30]);
      return c.stats.byContact({
        from: localDay(days - 1),
        to: localDay(0),
        limit: pick([10, 20, 50]),
        page: pick([1, 1, 2]),
        sort: pick(["sent", "failed", "lastAt"] as const),
        ...(Math.random() < 0.3 ? { groupId: pick(d.groupIds) } : {}),
      });
    },
    // Custom ranges (here ending yesterday): a period's first view sums its contact-days and
    // keeps the period per contact; its later views (pages, sorts, groups) read what was kept.
    byContactCustom: (c: Caller) => {
      const days = pick([7, 14, 30, 30]);
      return c.stats.byContact({
        from: localDay(days),
        to: localDay(1),
        limit: pick([10, 20, 50]),
        page: pick([1, 1, 2]),
        sort: pick(["sent", "failed", "lastAt"] as const),
        ...(Math.random() < 0.3 ? { groupId: pick(d.groupIds) } : {}),
      });
    },
    tasks: (c: Caller) =>
      c.stats.tasks({ ...range(), ...(Math.random() < 0.3 ? { botId: pick(d.botIds) } : {}) }),
    byBot: (c: Caller) => c.stats.byBot({ hours: pick([24, 24, 72, 168]) }),
    currentMonth: (c: Caller) => c.stats.currentMonth(),
    monthly: (c: Caller) => c.stats.monthly({ months: pick([12, 12, 24]) }),
    errors: (c: Caller) => c.stats.errors({ days: pick([7, 7, 30]), ...filters() }),
    campaignReport: (c: Caller) => c.stats.campaignReport({ campaignId: pick(d.campaignIds) }),
  };
}

type Caller = Awaited<ReturnType<typeof viewerCaller>>;

/** What the dashboard page asks for when it opens on its default view (the last 30 days). */
function dashboardBatch(c: Caller) {
  const range = { from: localDay(29), to: localDay(0) };
  return Promise.all([
    c.stats.currentMonth(),
    c.stats.summary(range),
    c.stats.timeline({ ...range, bucket: "day" }),
    c.stats.byGroup(range),
    c.stats.errors({ days: 7 }),
    c.stats.byBot({ hours: 24 }),
    c.stats.tasks(range),
    c.stats.monthly({ months: 12 }),
    c.stats.byContact({ limit: 10, page: 1, sort: "sent", ...range }),
  ]);
}

async function measureBatch(caller: Caller) {
  for (let i = 0; i < 5; i++) await dashboardBatch(caller); // warm-up
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await dashboardBatch(caller);
    times.push(performance.now() - t);
  }
  return { p50: round(pct(times, 50), 1), p95: round(pct(times, 95), 1) };
}

async function measure(d: Dataset, caller: Caller) {
  const { rangeFillsSettled } = await import("../src/modules/stats/contact-ranges.service");
  const { contactDayFillsSettled } =
    await import("../src/modules/stats/contact-day-memory.service");
  const out: Record<string, { p50: number; p95: number }> = {};
  for (const [name, call] of Object.entries(procedures(d))) {
    // Warm-up: 20 calls, so each of the custom periods below is almost surely viewed once
    // (its first view: measureFirstViews), each followed by the end of what it started in the
    // background (the period being kept: a process keeps one period of a workspace at a time,
    // so a first view during another's keeping is not kept; and, once per process, the
    // contact-days held in memory, whose fill is timed apart as `contact_days_fill_ms`); the
    // calls measured are the views that follow.
    for (let i = 0; i < 20; i++) {
      await call(caller);
      await rangeFillsSettled();
      await contactDayFillsSettled();
    }
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      await call(caller);
      times.push(performance.now() - t);
    }
    out[name] = { p50: round(pct(times, 50), 1), p95: round(pct(times, 95), 1) };
  }
  return out;
}

/**
 * First views of custom periods never viewed before: a new period each call (7, 14 or 30 days
 * ending `firstEnd` + 5·i days back), answered while the period is kept beside the answer.
 * The call is timed to its answer; the keeping is then awaited, timed apart, so it does not
 * weigh on the next call.
 */
async function firstViews(caller: Caller, firstEnd: number) {
  const { rangeFillsSettled } = await import("../src/modules/stats/contact-ranges.service");
  const views: number[] = [];
  const keeps: number[] = [];
  for (let i = 0; i < FIRST_VIEWS; i++) {
    const end = firstEnd + i * 5;
    const days = [7, 14, 30][i % 3]!;
    const t = performance.now();
    await caller.stats.byContact({
      from: localDay(end + days - 1),
      to: localDay(end),
      limit: pick([10, 20, 50]),
      sort: pick(["sent", "failed", "lastAt"] as const),
    });
    views.push(performance.now() - t);
    const k = performance.now();
    await rangeFillsSettled();
    keeps.push(performance.now() - k);
  }
  return {
    p50: round(pct(views, 50), 1),
    p95: round(pct(views, 95), 1),
    keep_p50: round(pct(keeps, 50), 1),
  };
}

/**
 * First views two ways: summed in Postgres, as in a process that holds no contact-days yet
 * (holding turned off), and ranked from the contact-days held in memory, after the fill a
 * first view starts (timed: `fill_ms`). Other periods each way, none viewed before.
 */
async function measureFirstViews(caller: Caller) {
  const memory = await import("../src/modules/stats/contact-day-memory.service");
  memory.holdContactDays(false);
  const summed = await firstViews(caller, 2);
  memory.holdContactDays(true);
  const t = performance.now();
  await caller.stats.byContact({ from: localDay(380), to: localDay(370) });
  await memory.contactDayFillsSettled();
  const fill_ms = ms(t);
  const held = await firstViews(caller, 4);
  return { summed, held, fill_ms };
}

/** The same answers as plain GROUP BYs over the raw events (what the dashboard would do without rollups). */
async function baseline(owner: pg.Client, d: Dataset) {
  const tz = "America/Asuncion";
  const local = `(e.occurred_at at time zone '${tz}')::date`;
  const join =
    "left join campaign_recipient r on r.workspace_id = e.workspace_id and r.campaign_id = e.campaign_id and r.id = e.recipient_id";
  const queries: Record<string, string> = {
    summary: `select e.type, count(*) from message_event e where e.workspace_id = $1 and ${local} > current_date - 30 group by 1`,
    timeline: `select ${local}, e.type, count(*) from message_event e where e.workspace_id = $1 and ${local} > current_date - 90 group by 1, 2`,
    byGroup: `select r.group_id, e.type, count(*) from message_event e ${join} where e.workspace_id = $1 and ${local} > current_date - 30 and e.type in ('sent', 'failed') group by 1, 2`,
    byContact: `select r.contact_id, count(*) filter (where e.type = 'sent') as sent from message_event e ${join} where e.workspace_id = $1 group by 1 order by 2 desc limit 20`,
    byContactPeriod: `select r.contact_id, count(*) filter (where e.type = 'sent') as sent from message_event e ${join} where e.workspace_id = $1 and ${local} > current_date - 30 group by 1 order by 2 desc limit 20`,
    byContactCustom: `select r.contact_id, count(*) filter (where e.type = 'sent') as sent from message_event e ${join} where e.workspace_id = $1 and ${local} between current_date - 30 and current_date - 1 group by 1 order by 2 desc limit 20`,
    tasks: `select t.action, e.type, count(*), avg(e.occurred_at - t.started_at) from task_event e join bot_task t on t.workspace_id = e.workspace_id and t.id = e.task_id where e.workspace_id = $1 and e.type in ('succeeded', 'failed', 'timed_out', 'canceled') and (e.occurred_at at time zone '${tz}')::date > current_date - 30 group by 1, 2`,
    byBot: `select e.bot_id, e.type, count(*) from message_event e where e.workspace_id = $1 and e.occurred_at > now() - interval '24 hours' group by 1, 2`,
    monthly: `select date_trunc('month', ${local}), e.type, count(*) from message_event e where e.workspace_id = $1 and ${local} >= date_trunc('month', current_date) - interval '11 months' group by 1, 2`,
    errors: `select e.code, count(*) from message_event e where e.workspace_id = $1 and e.type = 'failed' and ${local} > current_date - 7 group by 1`,
    campaignReport: `select e.type, count(*) from message_event e where e.workspace_id = $1 and e.campaign_id = $2 group by 1`,
  };
  const out: Record<string, number> = {};
  for (const [name, text] of Object.entries(queries)) {
    const times: number[] = [];
    for (let i = 0; i < BASELINE_RUNS; i++) {
      const t = performance.now();
      await owner.query(
        text,
        name === "campaignReport" ? [d.workspaceId, pick(d.campaignIds)] : [d.workspaceId],
      );
      times.push(performance.now() - t);
    }
    out[name] = round(pct(times, 95), 1);
  }
  // The page's batch without rollups: its queries one after another on one connection.
  const batch = [
    "summary",
    "timeline",
    "byGroup",
    "errors",
    "byBot",
    "tasks",
    "monthly",
    "byContactPeriod",
  ];
  const times: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) {
    const t = performance.now();
    for (const name of batch) await owner.query(queries[name]!, [d.workspaceId]);
    times.push(performance.now() - t);
  }
  return { perProcedure: out, batch: round(pct(times, 95), 1) };
}

async function main() {
  // Sign-in seals the provider tokens, the web process checks the key; both read these.
  ensureSecretsKey();
  process.env.NEXTAUTH_SECRET ??= randomBytes(24).toString("base64url");
  ensureBuild();
  const server = await ownBenchServer("bench-dashboard", "BENCH_DASHBOARD_PG_PORT", 54331);
  const db = await freshBenchDatabase("bench_dashboard");
  // The web process's requests log in as the app's login role, as under `npm start`.
  const appDatabaseUrl = server
    ? Object.assign(new URL(server.appUrl), { pathname: new URL(db.url).pathname }).toString()
    : null;
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const { rebuildStats } = await import("../src/modules/stats/fold.service");
  const { closeDatabase } = await import("../src/server/db/client");
  try {
    await owner.query(
      "select app_ensure_event_partitions((now() - interval '14 months')::date, (now() + interval '1 month')::date)",
    );
    await owner.query(
      "select app_ensure_monthly_partitions('task_event', (now() - interval '14 months')::date, (now() + interval '1 month')::date)",
    );
    const main = await seedWorkspace(
      owner,
      "bench-main",
      Math.min(CONTACTS, Math.ceil(EVENTS / 20)),
    );
    const caller = await viewerCaller(main.workspaceId, owner);
    const admin = await createAdmin(owner, main.workspaceId);
    const renderAt = () => measureRender({ admin, databaseUrl: db.url, appDatabaseUrl });
    const fold = async () => {
      await owner.query("vacuum analyze campaign_recipient, message_event, bot_task, task_event");
      const t = performance.now();
      const { events } = await rebuildStats({ workspaceId: main.workspaceId });
      return { events, fold_ms: ms(t) };
    };

    let t = performance.now();
    await addEvents(owner, main, 0, SMALL);
    await addTasks(owner, main, 0, Math.ceil(SMALL / 10));
    console.log(`seeded ${SMALL} events in ${ms(t)} ms`);
    const small = await fold();
    console.log(`folded ${small.events} events in ${small.fold_ms} ms`);
    const atSmall = await measure(main, caller);
    console.table(atSmall);
    const firstSmall = await measureFirstViews(caller);
    console.log(`first views of custom periods at ${SMALL} events, ms:`, firstSmall);
    const batchSmall = await measureBatch(caller);
    console.log(`dashboard batch at ${SMALL} events, ms:`, batchSmall);
    const renderSmall = await renderAt();
    console.log(describeRender(SMALL, renderSmall));

    t = performance.now();
    await addEvents(owner, main, SMALL, EVENTS);
    await addTasks(owner, main, Math.ceil(SMALL / 10), Math.ceil(EVENTS / 10));
    const others: Dataset[] = [];
    for (let w = 0; w < OTHERS; w++) {
      const other = await seedWorkspace(owner, `bench-other-${w}`, 2_000);
      await addEvents(owner, other, 0, Math.ceil(EVENTS / 100));
      others.push(other);
    }
    // As autovacuum would have by then: planned on statistics that predate a workspace's
    // bulk-seeded rows, its rebuild joins every event to every recipient (minutes, not ms).
    await owner.query("vacuum analyze campaign_recipient, message_event, bot_task, task_event");
    for (const other of others) await rebuildStats({ workspaceId: other.workspaceId });
    console.log(
      `seeded up to ${EVENTS} events (+${OTHERS} workspaces of ${Math.ceil(EVENTS / 100)}) in ${ms(t)} ms`,
    );
    const large = await fold();
    console.log(`folded ${large.events} events in ${large.fold_ms} ms`);
    const atLarge = await measure(main, caller);
    console.table(atLarge);
    const firstLarge = await measureFirstViews(caller);
    console.log(`first views of custom periods at ${EVENTS} events, ms:`, firstLarge);
    const batchLarge = await measureBatch(caller);
    console.log(`dashboard batch at ${EVENTS} events, ms:`, batchLarge);
    const renderLarge = await renderAt();
    console.log(describeRender(EVENTS, renderLarge));
    const raw = await baseline(owner, main);
    console.log("baseline (GROUP BY over raw events), p95 ms:");
    console.table(raw.perProcedure);
    console.log(`baseline dashboard batch, p95 ms: ${raw.batch}`);

    const worst = Object.entries(atLarge).sort((a, b) => b[1].p95 - a[1].p95)[0]!;
    console.log(
      JSON.stringify({
        bench: "dashboard",
        events: EVENTS,
        small_events: SMALL,
        max_p95_ms: worst[1].p95,
        worst: worst[0],
        growth_ratio: round(worst[1].p95 / atSmall[worst[0]]!.p95, 2),
        max_growth_ratio: round(
          Math.max(...Object.keys(atLarge).map((k) => atLarge[k]!.p95 / atSmall[k]!.p95)),
          2,
        ),
        fold_ms: large.fold_ms,
        p95: Object.fromEntries(Object.entries(atLarge).map(([k, v]) => [k, v.p95])),
        p95_small: Object.fromEntries(Object.entries(atSmall).map(([k, v]) => [k, v.p95])),
        baseline_p95: raw.perProcedure,
        dashboard_batch_p50_ms: batchLarge.p50,
        dashboard_batch_p95_ms: batchLarge.p95,
        dashboard_batch_p95_small_ms: batchSmall.p95,
        dashboard_batch_baseline_p95_ms: raw.batch,
        custom_first_view_p50_ms: firstLarge.held.p50,
        custom_first_view_p95_ms: firstLarge.held.p95,
        custom_first_view_p95_small_ms: firstSmall.held.p95,
        custom_first_view_summed_p50_ms: firstLarge.summed.p50,
        custom_first_view_summed_p95_ms: firstLarge.summed.p95,
        custom_first_view_summed_p95_small_ms: firstSmall.summed.p95,
        contact_days_fill_ms: firstLarge.fill_ms,
        custom_keep_p50_ms: firstLarge.held.keep_p50,
        render_p50_ms: renderLarge.p50,
        render_p95_ms: renderLarge.p95,
        render_p95_ms_small: renderSmall.p95,
        render_baseline_p95_ms: renderLarge.baseline_p95,
        render_baseline_p95_ms_small: renderSmall.baseline_p95,
      }),
    );
  } finally {
    await owner.end();
    await closeDatabase();
    await db.stop();
    await server?.stop();
  }
}

void main();
