/**
 * Folding message events into the stats tables: one statement adds the events the previous
 * fold's snapshot could not see and saves the snapshot it saw itself, so each committed event
 * is counted exactly once however late it commits (docs/dashboards.md, Freshness).
 */
import { sql, type SQL } from "drizzle-orm";
import { systemDb } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { addCountMoves, rangeScope, recountWindows, windowScope } from "./contact-counts";
import { contactDayTotals } from "./contact-day-sums";

export type FoldState = {
  snapshot: string | null;
  timeZone: string;
  foldedAt: Date;
  /** The local day the per-contact preset windows end on (null: none computed yet). */
  windowDay: string | null;
  /** Today in `timeZone` by the database's clock (this transaction's start). */
  today: string;
};

/** The workspace's fold state, created when missing and locked: folds of one workspace queue. */
export async function lockFoldState(
  tx: Tx,
  workspaceId: string,
  timeZone: string,
): Promise<FoldState> {
  await tx.execute(sql`
    insert into stats_fold (workspace_id, snapshot, time_zone) values (${workspaceId}, null, ${timeZone})
    on conflict (workspace_id) do nothing`);
  const { rows } = await tx.execute<{
    snapshot: string | null;
    time_zone: string;
    folded_at: string;
    window_day: string | null;
    today: string;
  }>(sql`
    select snapshot, time_zone, folded_at, window_day::text,
           (now() at time zone ${timeZone})::date::text as today
      from stats_fold where workspace_id = ${workspaceId} for update`);
  const r = rows[0]!;
  return {
    snapshot: r.snapshot,
    timeZone: r.time_zone,
    foldedAt: new Date(r.folded_at),
    windowDay: r.window_day,
    today: r.today,
  };
}

/**
 * Workspaces whose preset windows end before today in their zone: a quiet workspace's windows
 * move to the new day without waiting for its next event.
 */
export async function workspacesWithStaleWindows(): Promise<string[]> {
  const { rows } = await systemDb().execute<{ workspace_id: string }>(sql`
    select workspace_id from stats_fold
     where snapshot is not null
       and (window_day is null or window_day < (now() at time zone time_zone)::date)`);
  return rows.map((r) => r.workspace_id);
}

/**
 * Drops every counter of the workspace (a rebuild folds everything again); the contact-days
 * held in memory under the current generation go with them.
 */
export async function clearStats(tx: Tx, workspaceId: string) {
  for (const table of [
    "stats_quarter",
    "stats_day",
    "stats_contact",
    "stats_contact_day",
    "stats_contact_window",
    "stats_contact_range",
    "stats_range",
    "stats_contact_count",
    "stats_task_day",
  ])
    await tx.execute(sql`delete from ${sql.identifier(table)} where workspace_id = ${workspaceId}`);
  await tx.execute(
    sql`update stats_fold set closed_gen = closed_gen + 1 where workspace_id = ${workspaceId}`,
  );
}

/**
 * Recomputes the workspace's per-contact preset windows for the periods starting on `starts`
 * and ending on `day`, from the per-contact days (run when the local day changes).
 */
export async function rollContactWindows(
  tx: Tx,
  workspaceId: string,
  { day, starts }: { day: string; starts: string[] },
) {
  await tx.execute(sql`delete from stats_contact_window where workspace_id = ${workspaceId}`);
  // The latest rows are looked up within the windows' days (unbounded, the planner scans
  // every contact-day of the workspace).
  const first = starts.reduce((a, b) => (a < b ? a : b));
  await tx.execute(sql`
    insert into stats_contact_window (workspace_id, since, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at)
    select ${workspaceId}, s.since, s.contact_id, latest.group_id, latest.phone, latest.nombre,
           s.sent, s.failed, s.delivered, s.read, s.last_at
      from (select w.since, contact_id, ${contactDayTotals}
              from stats_contact_day join unnest(${sql.param(starts)}::date[]) w(since) on day >= w.since
             where workspace_id = ${workspaceId} and day between ${first}::date and ${day}::date
             group by w.since, contact_id) s
      join stats_contact_day latest on latest.workspace_id = ${workspaceId}
       and latest.day between ${first}::date and ${day}::date
       and latest.day = s.last_day and latest.contact_id = s.contact_id`);
  await recountWindows(tx, workspaceId);
  await tx.execute(
    sql`update stats_fold set window_day = ${day}::date where workspace_id = ${workspaceId}`,
  );
}

const newer = (table: string) => {
  const t = sql.identifier(table);
  return sql`(excluded.last_at, excluded.group_id, excluded.phone) > (${t}.last_at, ${t}.group_id, ${t}.phone)`;
};

/** Per-contact columns of `src` grouped by contact (and day): latest snapshot, counts, last time. */
const contactColumns = sql`
  (array_agg(group_id order by occurred_at desc, group_id desc, phone desc))[1],
  (array_agg(phone order by occurred_at desc, group_id desc, phone desc))[1],
  (array_agg(nombre order by occurred_at desc, group_id desc, phone desc))[1],
  count(*) filter (where type = 'sent'), count(*) filter (where type = 'failed'),
  count(*) filter (where type = 'delivered'), count(*) filter (where type = 'read'),
  max(occurred_at)`;

/**
 * Adds the excluded row's counts; group, phone and name follow the later event (ties broken
 * by group and phone, so any fold order gives the same).
 */
function addContactCounts(table: string, { keepPrevGroup = false } = {}) {
  const t = sql.identifier(table);
  return sql`${keepPrevGroup ? sql`prev_group_id = ${t}.group_id,` : sql``}
    sent = ${t}.sent + excluded.sent,
    failed = ${t}.failed + excluded.failed,
    delivered = ${t}.delivered + excluded.delivered,
    read = ${t}.read + excluded.read,
    group_id = case when ${newer(table)} then excluded.group_id else ${t}.group_id end,
    phone = case when ${newer(table)} then excluded.phone else ${t}.phone end,
    nombre = case when ${newer(table)} then excluded.nombre else ${t}.nombre end,
    last_at = greatest(${t}.last_at, excluded.last_at)`;
}

/**
 * Adds `source`'s events (columns of campaigns' `eventsSince`) to the 15-minute, local-day,
 * per-contact, per-contact-day, per-contact preset-window and kept custom-period counters (and
 * how many contacts each of the last three holds per group: `stats_contact_count`),
 * and `tasks`' outcomes (columns of the tasks module's `taskOutcomesSince`) to the task days,
 * and records this statement's snapshot as the workspace's new state: both sources are read
 * under that one snapshot.
 */
export async function foldEvents(
  tx: Tx,
  {
    workspaceId,
    timeZone,
    source,
    tasks,
    windows,
  }: {
    workspaceId: string;
    timeZone: string;
    source: SQL;
    tasks: SQL;
    /** The preset windows the events also count in (see `rollContactWindows`). */
    windows: { day: string; starts: string[] };
  },
): Promise<{ events: number; tasks: number }> {
  const { rows } = await tx.execute<{ events: number; tasks: number }>(sql`
    with src as materialized (${source}),
    task_src as materialized (${tasks}),
    task_days as (
      insert into stats_task_day (workspace_id, day, bot_id, action, status, count, timed, duration_ms)
      select ${workspaceId}, (occurred_at at time zone ${timeZone})::date, bot_id, action, status,
             count(*), count(duration_ms), coalesce(sum(duration_ms), 0)
        from task_src group by 2, 3, 4, 5
      on conflict on constraint stats_task_day_pk do update set
        count = stats_task_day.count + excluded.count,
        timed = stats_task_day.timed + excluded.timed,
        duration_ms = stats_task_day.duration_ms + excluded.duration_ms
    ),
    quarters as (
      insert into stats_quarter (workspace_id, bucket, campaign_id, bot_id, group_id, status, code, count)
      select ${workspaceId}, date_bin('15 minutes', occurred_at, timestamptz '2000-01-01 00:00:00+00'),
             campaign_id, bot_id, group_id, type, code, count(*)
        from src group by 2, 3, 4, 5, 6, 7
      on conflict on constraint stats_quarter_pk do update set count = stats_quarter.count + excluded.count
    ),
    days as (
      insert into stats_day (workspace_id, day, campaign_id, bot_id, group_id, status, code, count)
      select ${workspaceId}, (occurred_at at time zone ${timeZone})::date,
             campaign_id, bot_id, group_id, type, code, count(*)
        from src group by 2, 3, 4, 5, 6, 7
      on conflict on constraint stats_day_pk do update set count = stats_day.count + excluded.count
    ),
    contacts as (
      insert into stats_contact (workspace_id, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at)
      select ${workspaceId}, contact_id, ${contactColumns}
        from src where contact_id is not null group by contact_id
      on conflict on constraint stats_contact_pk do update set ${addContactCounts("stats_contact", { keepPrevGroup: true })}
      returning contact_id, group_id, prev_group_id
    ),
    contact_days as (
      insert into stats_contact_day (workspace_id, day, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at)
      select ${workspaceId}, (occurred_at at time zone ${timeZone})::date, contact_id, ${contactColumns}
        from src where contact_id is not null group by 2, 3
      on conflict on constraint stats_contact_day_pk do update set ${addContactCounts("stats_contact_day")}
    ),
    contact_windows as (
      insert into stats_contact_window (workspace_id, since, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at)
      select ${workspaceId}, w.since, contact_id, ${contactColumns}
        from src join unnest(${sql.param(windows.starts)}::date[]) w(since)
          on (occurred_at at time zone ${timeZone})::date between w.since and ${windows.day}::date
       where contact_id is not null group by 2, 3
      on conflict on constraint stats_contact_window_pk do update set ${addContactCounts("stats_contact_window", { keepPrevGroup: true })}
      returning since, contact_id, group_id, prev_group_id
    ),
    contact_ranges as (
      insert into stats_contact_range (workspace_id, day_from, day_to, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at)
      select ${workspaceId}, rg.day_from, rg.day_to, contact_id, ${contactColumns}
        from src join stats_range rg on rg.workspace_id = ${workspaceId}
         and (occurred_at at time zone ${timeZone})::date between rg.day_from and rg.day_to
       where contact_id is not null group by 2, 3, 4
      on conflict on constraint stats_contact_range_pk do update set ${addContactCounts("stats_contact_range", { keepPrevGroup: true })}
      returning day_from, day_to, contact_id, group_id, prev_group_id
    ),
    -- Each per-contact row written, with its group after and before (null: a new row).
    moves as (
      select 'all' as scope, group_id as now, prev_group_id as was from contacts
      union all
      select ${windowScope(sql`since`)}, group_id, prev_group_id from contact_windows
      union all
      select ${rangeScope(sql`day_from`, sql`day_to`)}, group_id, prev_group_id from contact_ranges
    ),
    counts as (${addCountMoves(workspaceId, "moves")}),
    -- Contact-days two or more local days back are held in web processes' memory
    -- (contact-day-memory.ts): adding to one moves the generation they are held under.
    saved as (
      update stats_fold set snapshot = pg_current_snapshot()::text, time_zone = ${timeZone}, folded_at = now(),
             closed_gen = closed_gen + (exists (
               select 1 from src where contact_id is not null
                  and (occurred_at at time zone ${timeZone})::date <= (now() at time zone ${timeZone})::date - 2))::int
       where workspace_id = ${workspaceId}
    )
    select (select count(*)::int from src) as events, (select count(*)::int from task_src) as tasks`);
  return rows[0]!;
}
