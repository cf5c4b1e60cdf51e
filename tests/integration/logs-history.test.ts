/**
 * The Logs page's history (logs.list): every filter, walked page by page with the keyset
 * cursor, returns exactly the workspace's matching lines, newest first, each once — the same
 * answer as one plain query over the table as the owner. Searches go through
 * app_log_search_page (drizzle/0020, so the GIN index is usable under row-level security);
 * it answers for the current workspace only; a word at a level is the word's lines of that
 * level (a message saying "lvlerror" or "Level error" is still of its own level).
 * Lines written by one insert share a timestamp with microseconds, which a cursor (a JS Date,
 * milliseconds) cannot carry: a page boundary inside such a batch must not skip the rest of
 * the batch.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendLogs, listLogs } from "@/modules/tasks/logs.service";
import type { ListLogsInput } from "@/modules/tasks/tasks.schema";
import { closeDatabase, ownerPool } from "@/server/db/client";
import { withTenant, withTenantClient } from "@/server/db/tenant";
import { freshTenant, type Tenant } from "../helpers/import";

let a: Tenant;
let b: Tenant;
const bots = [randomUUID(), randomUUID()];
const tasks = [randomUUID(), randomUUID(), randomUUID()];
const LEVELS = ["info", "info", "info", "warn", "error", "debug"] as const;
const BASE = Date.UTC(2026, 10, 20, 12); // three months apart with the last line: partitions
const EDGE = new Date(BASE - 10 * 86_400_000);
const hours = (h: number) => new Date(EDGE.getTime() - h * 3_600_000);

/** Line i of a workspace: level, message, bot and task by i, two lines every ~65 minutes over 90 days. */
function line(i: number) {
  const level = LEVELS[i % LEVELS.length]!;
  const message =
    i % 97 === 5
      ? `captcha challenge on login page (${i})`
      : level === "error"
        ? i % 2
          ? `timeout waiting for selector #send after ${i} ms`
          : `provider rejected message to +5959${i}`
        : `sent message ${i} via whatsapp, ref${i.toString(16)}`;
  return {
    level,
    message,
    botId: i % 11 === 0 ? null : bots[i % 2]!,
    taskId: i % 7 === 0 ? null : tasks[i % 3]!,
  };
}

async function seed(workspaceId: string, count: number) {
  // Occurred-at with microseconds, some lines sharing one (as lines of one insert do).
  await ownerPool().query(
    `insert into log (workspace_id, occurred_at, level, message, bot_id, task_id)
     select $1, to_timestamp($2::float8 / 1000) - make_interval(secs => (l.i / 2) * 3888.000123),
            l.level::log_level, l.message, l.bot_id, l.task_id
       from jsonb_to_recordset($3::jsonb) as l(i int, level text, message text, bot_id uuid, task_id uuid)`,
    [
      workspaceId,
      BASE,
      JSON.stringify(
        Array.from({ length: count }, (_, i) => {
          const l = line(i);
          return { i, level: l.level, message: l.message, bot_id: l.botId, task_id: l.taskId };
        }),
      ),
    ],
  );
}

beforeAll(async () => {
  a = await freshTenant();
  b = await freshTenant();
  await ownerPool().query("select app_ensure_monthly_partitions('log', $1::date, $2::date)", [
    new Date(BASE - 120 * 86_400_000),
    new Date(BASE),
  ]);
  await seed(a.workspaceId, 4_000);
  await seed(b.workspaceId, 1_000);
  // One batch of 250 lines through the app's own write: one transaction, one now().
  await withTenant({ workspaceId: a.workspaceId }, (tx) =>
    appendLogs(
      tx,
      a.workspaceId,
      Array.from({ length: 250 }, (_, i) => ({
        level: i % 10 === 0 ? ("error" as const) : ("info" as const),
        message: `batch step ${i} timeout message`,
        botId: bots[0]!,
        taskId: tasks[0]!,
      })),
    ),
  );
  // Info lines whose words name a level, every ~50 hours back from BASE.
  await ownerPool().query(
    `insert into log (workspace_id, occurred_at, level, message)
     select $1::uuid, $2::timestamptz - make_interval(hours => g * 50), 'info'::log_level,
            'lvlerror level:error Level error lvl_error lvl-error ' || g
       from generate_series(0, 39) g`,
    [a.workspaceId, new Date(BASE)],
  );
  // Lines on the search's window edges (1, 8, 64, 512, 4,096 hours before its anchor, here
  // `to` = EDGE), a microsecond either side, and one stamped in the future.
  await ownerPool().query(
    `insert into log (workspace_id, occurred_at, level, message)
     select $1::uuid, $2::timestamptz - make_interval(hours => h) + make_interval(secs => d * 0.000001),
            'info'::log_level, 'edgeword ' || h || ' ' || d
       from unnest(array[0, 1, 8, 64, 512, 4096]) h, unnest(array[-1, 0, 1]) d
     union all
     select $1::uuid, now() + interval '1 day', 'warn'::log_level, 'edgeword from the future'`,
    [a.workspaceId, EDGE],
  );
  await ownerPool().query("analyze log");
});

afterAll(async () => {
  await closeDatabase();
});

type Filters = Omit<ListLogsInput, "cursor" | "limit">;

/** The matching lines' ids, newest first, as one query over the table as the owner. */
async function expected(workspaceId: string, f: Filters): Promise<number[]> {
  const { rows } = await ownerPool().query<{ id: string }>(
    `select id from log
      where workspace_id = $1
        and ($2::text is null or to_tsvector('simple', message) @@ plainto_tsquery('simple', $2))
        and ($3::log_level[] is null or level = any($3))
        and ($4::uuid is null or bot_id = $4) and ($5::uuid is null or task_id = $5)
        and ($6::timestamptz is null or occurred_at >= $6)
        and ($7::timestamptz is null or occurred_at <= $7)
      order by occurred_at desc, id desc`,
    [
      workspaceId,
      f.q ?? null,
      f.levels ?? null,
      f.botId ?? null,
      f.taskId ?? null,
      f.from ?? null,
      f.to ?? null,
    ],
  );
  return rows.map((r) => Number(r.id));
}

/** Every page of logs.list's service as the app role, following nextCursor. */
async function walk(workspaceId: string, f: Filters, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: ListLogsInput["cursor"];
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await withTenant({ workspaceId }, (tx) =>
      listLogs({ tx, workspaceId, input: { ...f, cursor, limit } }),
    );
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) return ids;
    // Through JSON, as the page sends it back (a Date: milliseconds).
    cursor = {
      occurredAt: new Date(page.nextCursor.occurredAt.toISOString()),
      id: page.nextCursor.id,
    };
  }
  throw new Error("no last page");
}

const day = 86_400_000;
/** Marks a case whose answer is no line at all. */
const NONE = true;
const CASES: [string, Filters, boolean?][] = [
  ["everything", {}],
  ["level error", { levels: ["error"] }],
  ["warn or debug", { levels: ["warn", "debug"] }],
  ["one bot", { botId: bots[1] }],
  ["one task", { taskId: tasks[2] }],
  ["a date range", { from: new Date(BASE - 40 * day), to: new Date(BASE - 33 * day) }],
  ["a common word", { q: "message" }],
  ["a rare word", { q: "captcha" }],
  ["a word in one line", { q: "ref2a" }],
  ["a word in none", { q: "xyzzy" }, NONE],
  ["two words", { q: "Provider  REJECTED" }],
  ["search + level", { q: "timeout", levels: ["error"] }],
  // "rejected" is in error lines only (and "message" in info and error lines).
  ["a word at a level none of its lines has", { q: "rejected", levels: ["info"] }, NONE],
  ["… nor at the other levels", { q: "rejected", levels: ["debug", "info", "warn"] }, NONE],
  ["… at its own level and another", { q: "rejected", levels: ["info", "error"] }],
  ["a common word at two levels", { q: "message", levels: ["error", "info"] }],
  ["a rare word at one level", { q: "captcha", levels: ["warn"] }],
  ["a rare word at every level", { q: "captcha", levels: ["debug", "info", "warn", "error"] }],
  ["search + level + bot", { q: "message", levels: ["error"], botId: bots[0] }],
  ["window edges at a level", { q: "edgeword", levels: ["warn"] }],
  ["level words in a message are no level", { q: "lvlerror", levels: ["error"] }, NONE],
  ["… whichever way written", { q: "Level error", levels: ["debug", "warn", "error"] }, NONE],
  ["… but words of the line's own", { q: "level:error lvl-error", levels: ["info"] }],
  ["no words, at a level", { q: "!!!", levels: ["info"] }, NONE],
  [
    "search + bot + task + range",
    { q: "message", botId: bots[0], taskId: tasks[0], from: new Date(BASE - 60 * day) },
  ],
  ["search + to", { q: "whatsapp", to: new Date(BASE - 80 * day) }],
  ["the batch", { q: "batch" }],
  ["window edges", { q: "edgeword" }],
  ["window edges up to `to`", { q: "edgeword", to: EDGE }],
  ["window edges in a range", { q: "edgeword", from: hours(64), to: hours(1) }],
  ["window edges from an edge", { q: "edgeword", from: hours(8), to: EDGE }],
];

describe("logs history", () => {
  it.each(CASES)("%s: every page together is the whole answer, in order", async (_, f, none) => {
    const want = await expected(a.workspaceId, f);
    for (const limit of [100, 7]) {
      expect(await walk(a.workspaceId, f, limit)).toEqual(want);
    }
    if (none) expect(want).toEqual([]);
    else expect(want.length).toBeGreaterThan(0);
  });

  it("pages through one insert's lines (one timestamp with microseconds) without a gap", async () => {
    const want = await expected(a.workspaceId, { botId: bots[0], taskId: tasks[0] });
    expect(want.length).toBeGreaterThan(250);
    expect(await walk(a.workspaceId, { botId: bots[0], taskId: tasks[0] }, 100)).toEqual(want);
    expect(await walk(a.workspaceId, { q: "step" }, 30)).toEqual(
      await expected(a.workspaceId, { q: "step" }),
    );
  });

  it("searches only the current workspace", async () => {
    // Both workspaces have captcha lines; b's are never in a's answer, and the reverse.
    const inB = await walk(b.workspaceId, { q: "captcha" }, 100);
    expect(inB).toEqual(await expected(b.workspaceId, { q: "captcha" }));
    const inA = await walk(a.workspaceId, { q: "captcha" }, 100);
    expect(inA.filter((id) => inB.includes(id))).toEqual([]);
    expect(await walk(b.workspaceId, { q: "batch" }, 100)).toEqual([]);
  });

  it("the search function answers nothing without a workspace, and one workspace's keys with one", async () => {
    const call = sql`select count(*)::int as n from app_log_search_page('captcha', null, null, null, null, null, null, null, 10000)`;
    const none = await withTenantClient({}, ({ tx }) => tx.execute<{ n: number }>(call));
    expect(none.rows[0]!.n).toBe(0);
    const keys = await withTenantClient({ workspaceId: a.workspaceId }, ({ client }) =>
      client.query<{ at: string; id: string }>(
        "select occurred_at::text as at, id from app_log_search_page('captcha', null, null, null, null, null, null, null, 10000)",
      ),
    );
    expect(keys.rows.length).toBe((await expected(a.workspaceId, { q: "captcha" })).length);
    // Whose lines they are, asked as the owner.
    const { rows } = await ownerPool().query<{ workspace_id: string }>(
      `select distinct workspace_id from log
        where (occurred_at, id) in (select unnest($1::timestamptz[]), unnest($2::bigint[]))`,
      [keys.rows.map((k) => k.at), keys.rows.map((k) => k.id)],
    );
    expect(rows).toEqual([{ workspace_id: a.workspaceId }]);
  });
});
