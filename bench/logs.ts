/**
 * Logs history benchmark (issue 10 item 6: "paginated history fast at 10M log rows").
 *
 * One workspace with BENCH_LOGS log lines (default 10,000,000) over the last 91 days, plus 9
 * workspaces of 1% each, written set-based as the owner through the app's own `log` table
 * (its monthly partitions and every index of drizzle/0014: time, bot, task, full-text GIN).
 * Lines come in time order (ids grow with time, as `insertLogs` writes them), 8 bots, runs of
 * 200 lines per task (10% of lines without a task, 1% without a bot either), levels 85% info,
 * 10% warn, 4% error, 1% debug, and messages from 16 templates with phones, ms figures
 * and a per-line `ref…` word: "message" is in ~35% of lines, "timeout" in half the errors,
 * "proxy" in 0.33%, "captcha" in 0.02%, each `ref…` in one line, "xyzzy" in none.
 *
 * Every case calls the real `logs.list` procedure through the tRPC caller (membership check,
 * RLS transaction as the app role, output schema) with the inputs the Logs page sends (limit
 * 100, a keyset cursor for older pages), BENCH_CALLS times (default 200) or until
 * BENCH_CASE_BUDGET_S seconds (default 60) have passed: first page; an older page at a random
 * depth of the 91 days (the cursor of an existing line); level=error; one bot; one task; a
 * 1- or 7-day range; the words "message" (common), "proxy" (where an index walk in time order
 * and a GIN lookup cost about the same), "captcha" (rare), a `ref…` (one line),
 * "xyzzy" (none); "timeout" at level error. The level, bot and word cases (except the
 * one-line and no-line words) ask for a deep page half the time. Apart from these, and not counted in
 * `max_p95_ms`, a probe of the one known slow combination (a common word at a level none of
 * its lines has: see probes()), reported as `probe_p95`.
 *
 * Baseline, same run, same table: the same workspace and calls at BENCH_SMALL lines (default
 * 100,000; a 1-in-100 sample of the 10M lines written first, so the same 91 days, bots, tasks
 * and levels, just sparser), then at BENCH_LOGS. An indexed page costs the same at both sizes
 * (growth ≈ 1×); a query that reads its way through the workspace's lines grows with them
 * (up to 100×). So `growth_ratio` (the worst case's p95 at 10M over its p95 at 100k) is what
 * says "indexed", and `max_p95_ms` says "fast". For the keyset cursor itself there is a second
 * reference: the same deep pages with OFFSET (what keyset pagination saves), BENCH_BASELINE_RUNS
 * times (default 5) at each size.
 *   npm run bench -- logs            (BENCH_LOGS=1000000 for a quicker run)
 * Own Postgres under .data/bench-logs on port 54341 (BENCH_LOGS_PG_PORT), or BENCH_DATABASE_URL.
 */
import pg from "pg";
import { pct, pick, viewerCaller } from "./bench-caller";
import { freshBenchDatabase, ownBenchServer } from "./bench-db";
import { createBenchWorkspace, ms, round } from "./campaign-fixture";

const TOTAL = Number(process.env.BENCH_LOGS ?? 10_000_000);
const SMALL = Math.min(Number(process.env.BENCH_SMALL ?? 100_000), TOTAL);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const BUDGET_MS = Number(process.env.BENCH_CASE_BUDGET_S ?? 60) * 1000;
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 5);
const PROBE_CALLS = Number(process.env.BENCH_PROBE_CALLS ?? 5);
const DAYS = 91;
const BOTS = 8;
const LINES_PER_TASK = 200;
const OTHERS = 9;
const CHUNK = 500_000;
/** Every STEP-th line of the main workspace is written first: the BENCH_SMALL dataset. */
const STEP = Math.max(1, Math.floor(TOTAL / SMALL));

type Dataset = { workspaceId: string; total: number; botIds: string[]; start: Date };

/**
 * The lines n ∈ [from, to) of a workspace of `total` lines over DAYS days (line n at
 * start + n/total of the span), those with `n % step = 0` when `sample`, the others when not.
 * Level, template, task and bot come from hashes of n (task: n / LINES_PER_TASK, so a task's
 * lines are together in time), not from n's residues, so the sample is like the whole.
 */
async function addLines(
  owner: pg.Client,
  d: Dataset,
  from: number,
  to: number,
  { step, sample }: { step: number; sample: boolean },
) {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(start + CHUNK, to);
    await owner.query(
      `insert into log (workspace_id, occurred_at, level, message, context, bot_id, task_id)
       select $1::uuid,
              $2::timestamptz + make_interval(secs => n * $3::float8 / $4::bigint),
              lv::log_level,
              case
                when h.rare % 5000 = 0 then 'captcha challenge detected on login page, task paused'
                when h.rare % 300 = 1 then 'proxy connection reset, switching to the backup proxy'
                when lv = 'error' then (array[
                  'timeout waiting for selector #send-button after 30000 ms',
                  'provider rejected message to ' || phone || ': invalid number',
                  'session expired, login required for account acct' || n % 50,
                  'timeout connecting to provider api (attempt ' || 1 + n % 3 || ')'])[1 + h.tpl % 4]
                when lv = 'warn' then (array[
                  'slow response from provider after ' || 1000 + n % 9000 || ' ms',
                  'rate limit reached, waiting ' || 1 + n % 30 || ' s before the next message',
                  'retrying message to ' || phone || ' (attempt ' || 2 + n % 2 || ')'])[1 + h.tpl % 3]
                when lv = 'debug' then 'poll tick, queue depth ' || n % 40
                else (array[
                  'sent message to ' || phone || ' via whatsapp',
                  'message delivered to ' || phone,
                  'opened chat with contact ' || phone,
                  'scraped ' || n % 50 || ' rows from page ' || n % 20,
                  'synced contact ref' || to_hex(n) || ' to crm',
                  'task step ' || n % 8 || ' finished in ' || n % 900 || ' ms'])[1 + h.tpl % 6]
              end,
              case when lv in ('warn', 'error') then jsonb_build_object('attempt', 1 + n % 3) end,
              case when h.solo % 100 <> 0
                   then ($5::uuid[])[1 + h.taskbot % array_length($5::uuid[], 1)] end,
              case when h.solo % 10 <> 0 then overlay(overlay(md5($1::text || ':task:' || n / ${LINES_PER_TASK})
                   placing '4' from 13) placing '8' from 17)::uuid end
         from generate_series($6::bigint, $7::bigint - 1) n,
              lateral (select (hashint8extended(n, 1) & 2147483647) % 1000 as lvl,
                              hashint8extended(n, 2) & 2147483647 as tpl,
                              hashint8extended(n, 3) & 2147483647 as rare,
                              hashint8extended(n, 4) & 2147483647 as solo,
                              hashint8extended(n / ${LINES_PER_TASK}, 5) & 2147483647 as taskbot) h,
              lateral (select case when h.lvl < 10 then 'debug' when h.lvl < 50 then 'error'
                                   when h.lvl < 150 then 'warn' else 'info' end as lv,
                              '+5959' || lpad((n % 10000000)::text, 8, '0') as phone) x
        where (n % $8 = 0) = $9`,
      [d.workspaceId, d.start, DAYS * 86_400, d.total, d.botIds, start, end, step, sample],
    );
  }
}

async function seedWorkspace(owner: pg.Client, slug: string, total: number): Promise<Dataset> {
  const workspaceId = await createBenchWorkspace(owner, slug);
  const bots = await owner.query<{ id: string }>(
    `insert into bot (workspace_id, name, kind) select $1, 'Bot ' || b, 'sandbox' from generate_series(1, $2) b returning id`,
    [workspaceId, BOTS],
  );
  // Up to a minute ago: the newest lines are the live end of the history.
  const start = new Date(Date.now() - DAYS * 86_400_000 - 60_000);
  return { workspaceId, total, botIds: bots.rows.map((r) => r.id), start };
}

type Cursor = { occurredAt: Date; id: number };

/** What the cases draw from, read as the owner at the current size. */
type Pool = { cursors: Cursor[]; taskIds: string[]; refs: string[] };

/**
 * Cursors of existing lines at random depths (the last line of some older page), task ids
 * with lines, and `ref…` words of existing lines, each from 100 random instants.
 */
async function samplePool(owner: pg.Client, d: Dataset): Promise<Pool> {
  const pool: Pool = { cursors: [], taskIds: [], refs: [] };
  for (let i = 0; i < 100; i++) {
    const at = new Date(d.start.getTime() + Math.random() * DAYS * 86_400_000);
    const { rows } = await owner.query<{
      occurred_at: Date;
      id: string;
      task_id: string | null;
      ref: string | null;
    }>(
      `select occurred_at, id, task_id, substring(message from 'ref[0-9a-f]+') as ref
         from log where workspace_id = $1 and occurred_at <= $2
        order by occurred_at desc, id desc limit 200`,
      [d.workspaceId, at],
    );
    if (!rows[0]) continue;
    pool.cursors.push({ occurredAt: rows[0].occurred_at, id: Number(rows[0].id) });
    const task = rows.find((r) => r.task_id)?.task_id;
    if (task) pool.taskIds.push(task);
    const ref = rows.find((r) => r.ref)?.ref;
    if (ref) pool.refs.push(ref);
  }
  return pool;
}

type Caller = Awaited<ReturnType<typeof viewerCaller>>;
type ListInput = Parameters<Caller["logs"]["list"]>[0];

/** The inputs of each case, as the Logs page (and the API) sends them. */
function cases(d: Dataset, pool: Pool): Record<string, () => ListInput> {
  const deep = () => (Math.random() < 0.5 ? { cursor: pick(pool.cursors) } : {});
  const day = 86_400_000;
  return {
    latest: () => ({ limit: 100 }),
    deepPage: () => ({ limit: 100, cursor: pick(pool.cursors) }),
    levelError: () => ({ limit: 100, levels: ["error"], ...deep() }),
    bot: () => ({ limit: 100, botId: pick(d.botIds), ...deep() }),
    task: () => ({ limit: 100, taskId: pick(pool.taskIds) }),
    dateRange: () => {
      const days = pick([1, 7]);
      const from = d.start.getTime() + Math.random() * (DAYS - days) * day;
      return { limit: 100, from: new Date(from), to: new Date(from + days * day) };
    },
    searchCommon: () => ({ limit: 100, q: "message", ...deep() }),
    searchMid: () => ({ limit: 100, q: "proxy", ...deep() }),
    searchRare: () => ({ limit: 100, q: "captcha", ...deep() }),
    searchRef: () => ({ limit: 100, q: pick(pool.refs) }),
    searchNone: () => ({ limit: 100, q: "xyzzy" }),
    searchError: () => ({ limit: 100, q: "timeout", levels: ["error"], ...deep() }),
  };
}

/**
 * The known slow combination, measured apart (BENCH_PROBE_CALLS times, default 5): a word
 * common in the workspace with a level none of its lines has ("timeout" is in 2% of lines, all
 * errors). No index holds word and level together, so every line with the word is read.
 */
function probes(): Record<string, () => ListInput> {
  return { searchOtherLevel: () => ({ limit: 100, q: "timeout", levels: ["info"] }) };
}

type Figures = { p50: number; p95: number; calls: number; rows: number };

async function measure(
  caller: Caller,
  which: Record<string, () => ListInput>,
  { calls = CALLS, warmUp = 3 } = {},
) {
  const out: Record<string, Figures> = {};
  for (const [name, input] of Object.entries(which)) {
    for (let i = 0; i < warmUp; i++) await caller.logs.list(input());
    const times: number[] = [];
    let rows = 0;
    const began = performance.now();
    while (times.length < calls && (times.length < 5 || performance.now() - began < BUDGET_MS)) {
      const args = input();
      const t = performance.now();
      const page = await caller.logs.list(args);
      times.push(performance.now() - t);
      rows += page.rows.length;
    }
    out[name] = {
      p50: round(pct(times, 50), 1),
      p95: round(pct(times, 95), 1),
      calls: times.length,
      rows: round(rows / times.length, 1),
    };
    console.log(`  ${name}: p50 ${out[name].p50} ms, p95 ${out[name].p95} ms`);
  }
  return out;
}

/**
 * Deep pages by OFFSET, as the app role in a tenant transaction (what the keyset cursor
 * replaces): the same page as a cursor at a random depth, BASELINE_RUNS times.
 */
async function offsetBaseline(d: Dataset, lines: number) {
  const { withTenantClient } = await import("../src/server/db/tenant");
  const times: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) {
    const offset = Math.floor(Math.random() * lines);
    const t = performance.now();
    await withTenantClient({ workspaceId: d.workspaceId }, ({ client }) =>
      client.query(
        `select * from log where workspace_id = $1
          order by occurred_at desc, id desc offset $2 limit 101`,
        [d.workspaceId, offset],
      ),
    );
    times.push(performance.now() - t);
  }
  return { p50: round(pct(times, 50), 1), p95: round(pct(times, 95), 1) };
}

async function main() {
  const server = await ownBenchServer("bench-logs", "BENCH_LOGS_PG_PORT", 54341);
  const db = await freshBenchDatabase("bench_logs");
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const { closeDatabase } = await import("../src/server/db/client");
  try {
    await owner.query(
      `select app_ensure_monthly_partitions('log', (now() - interval '${DAYS + 31} days')::date, (now() + interval '1 month')::date)`,
    );
    const main = await seedWorkspace(owner, "bench-logs-main", TOTAL);
    const caller = await viewerCaller(main.workspaceId, owner);
    const sampled = Math.ceil(TOTAL / STEP);

    let t = performance.now();
    await addLines(owner, main, 0, TOTAL, { step: STEP, sample: true });
    await owner.query("vacuum analyze log");
    console.log(`seeded ${sampled} lines (1 in ${STEP} of ${TOTAL}) in ${round(ms(t))} ms`);
    const poolSmall = await samplePool(owner, main);
    console.log(`at ${sampled} lines, ${CALLS} calls a case (or ${BUDGET_MS / 1000} s):`);
    const atSmall = await measure(caller, cases(main, poolSmall));
    const probeSmall = await measure(caller, probes(), { calls: PROBE_CALLS, warmUp: 1 });
    const offsetSmall = await offsetBaseline(main, sampled);
    console.log(`  OFFSET deep page (baseline), ms:`, offsetSmall);

    t = performance.now();
    const others: Dataset[] = [];
    for (let w = 0; w < OTHERS; w++) {
      others.push(await seedWorkspace(owner, `bench-logs-other-${w}`, Math.ceil(TOTAL / 100)));
    }
    // In time order across workspaces, a slice of the span at a time, as they would arrive.
    const SLICES = Math.max(1, Math.ceil(TOTAL / 1_000_000));
    for (let s = 0; s < SLICES; s++) {
      const slice = (total: number) =>
        [Math.floor((s * total) / SLICES), Math.floor(((s + 1) * total) / SLICES)] as const;
      const [from, to] = slice(TOTAL);
      if (STEP > 1) await addLines(owner, main, from, to, { step: STEP, sample: false });
      for (const other of others) {
        const [a, b] = slice(other.total);
        await addLines(owner, other, a, b, { step: 1, sample: true });
      }
    }
    await owner.query("vacuum analyze log");
    const {
      rows: [count],
    } = await owner.query<{ main: number; all: number }>(
      "select count(*) filter (where workspace_id = $1)::int as main, count(*)::int as all from log",
      [main.workspaceId],
    );
    console.log(
      `seeded up to ${count!.main} lines (+${OTHERS} workspaces of ${Math.ceil(TOTAL / 100)}; ${count!.all} in the table) in ${round(ms(t))} ms`,
    );
    const {
      rows: [size],
    } = await owner.query<{ size: string }>(
      "select pg_size_pretty(sum(pg_total_relation_size(c.oid))) as size from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'log'::regclass",
    );
    console.log(`log partitions with their indexes: ${size!.size}`);
    const poolLarge = await samplePool(owner, main);
    console.log(`at ${count!.main} lines, ${CALLS} calls a case (or ${BUDGET_MS / 1000} s):`);
    const atLarge = await measure(caller, cases(main, poolLarge));
    const probeLarge = await measure(caller, probes(), { calls: PROBE_CALLS, warmUp: 1 });
    const offsetLarge = await offsetBaseline(main, count!.main);
    console.log(`  OFFSET deep page (baseline), ms:`, offsetLarge);

    console.table(
      Object.fromEntries(
        Object.entries(atLarge).map(([k, v]) => [
          k,
          {
            "p50 large": v.p50,
            "p95 large": v.p95,
            "p95 small": atSmall[k]!.p95,
            growth: round(v.p95 / atSmall[k]!.p95, 2),
            calls: v.calls,
            "rows/page": v.rows,
          },
        ]),
      ),
    );
    const worst = Object.entries(atLarge).sort((a, b) => b[1].p95 - a[1].p95)[0]!;
    const growth = Object.fromEntries(
      Object.keys(atLarge).map((k) => [k, round(atLarge[k]!.p95 / atSmall[k]!.p95, 2)]),
    );
    console.log(
      JSON.stringify({
        bench: "logs",
        rows: count!.main,
        small_rows: sampled,
        table_rows: count!.all,
        p95: Object.fromEntries(Object.entries(atLarge).map(([k, v]) => [k, v.p95])),
        p95_small: Object.fromEntries(Object.entries(atSmall).map(([k, v]) => [k, v.p95])),
        max_p95_ms: worst[1].p95,
        worst: worst[0],
        growth_ratio: growth[worst[0]],
        max_growth_ratio: Math.max(...Object.values(growth)),
        offset_deep_page_p95_ms: offsetLarge.p95,
        offset_deep_page_p95_small_ms: offsetSmall.p95,
        probe_p95: Object.fromEntries(Object.entries(probeLarge).map(([k, v]) => [k, v.p95])),
        probe_p95_small: Object.fromEntries(Object.entries(probeSmall).map(([k, v]) => [k, v.p95])),
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
