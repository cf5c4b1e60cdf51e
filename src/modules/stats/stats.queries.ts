/**
 * Reads of the stats tables, always by workspace. Days, months and KPIs read `stats_day`
 * (days of the workspace's zone); hours and "the last N hours" read `stats_quarter`, whose
 * 15-minute UTC buckets regroup exactly into local hours of any zone.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { readContactCount, scopeKey } from "./contact-counts";
import { contactDayTotals } from "./contact-day-sums";

export type Dimensions = { groupId?: string; campaignId?: string; botId?: string };
export type StatusCount = { key: string; status: string; n: number };

/** Event types the dashboard counts (message_event has a few more, e.g. `retry`). */
const COUNTED = sql`('sent', 'delivered', 'read', 'failed', 'skipped', 'canceled')`;

function dimensionFilter(d: Dimensions): SQL {
  return sql.join(
    [
      d.groupId ? sql` and group_id = ${d.groupId}` : sql``,
      d.campaignId ? sql` and campaign_id = ${d.campaignId}` : sql``,
      d.botId ? sql` and bot_id = ${d.botId}` : sql``,
    ],
    sql``,
  );
}

const DAY_KEYS = {
  status: sql`''`,
  day: sql`to_char(day, 'YYYY-MM-DD')`,
  month: sql`to_char(day, 'YYYY-MM')`,
  group: sql`group_id::text`,
  bot: sql`bot_id::text`,
  campaign: sql`campaign_id::text`,
  code: sql`code`,
} as const;
export type DayKey = keyof typeof DAY_KEYS;

/** Counts per `by` × status over local days `from`..`to` (inclusive). */
export async function sumDays(
  tx: Tx,
  workspaceId: string,
  {
    from,
    to,
    by,
    dims = {},
    status,
  }: { from: string; to: string; by: DayKey; dims?: Dimensions; status?: string },
): Promise<StatusCount[]> {
  const key = DAY_KEYS[by];
  const { rows } = await tx.execute<{ key: string; status: string; n: string }>(sql`
    select ${key} as key, status, sum(count)::bigint as n from stats_day
     where workspace_id = ${workspaceId} and day between ${from}::date and ${to}::date
       and status ${status ? sql`= ${status}` : sql`in ${COUNTED}`} ${dimensionFilter(dims)}
     group by 1, 2`);
  return rows.map((r) => ({ key: r.key, status: r.status, n: Number(r.n) }));
}

/** Counts per local hour × status over local days `from`..`to` in `timeZone`. */
export async function sumHours(
  tx: Tx,
  workspaceId: string,
  {
    from,
    to,
    timeZone,
    dims = {},
  }: { from: string; to: string; timeZone: string; dims?: Dimensions },
): Promise<StatusCount[]> {
  const { rows } = await tx.execute<{ key: string; status: string; n: string }>(sql`
    select to_char(date_trunc('hour', bucket at time zone ${timeZone}), 'YYYY-MM-DD HH24:00') as key,
           status, sum(count)::bigint as n from stats_quarter
     where workspace_id = ${workspaceId}
       and bucket >= (${from}::date)::timestamp at time zone ${timeZone}
       and bucket < (${to}::date + 1)::timestamp at time zone ${timeZone}
       and status in ${COUNTED} ${dimensionFilter(dims)}
     group by 1, 2`);
  return rows.map((r) => ({ key: r.key, status: r.status, n: Number(r.n) }));
}

/** Counts per bot × status over the last `hours` hours (to the quarter hour). */
export async function sumRecentByBot(
  tx: Tx,
  workspaceId: string,
  hours: number,
): Promise<StatusCount[]> {
  const { rows } = await tx.execute<{ key: string; status: string; n: string }>(sql`
    select bot_id::text as key, status, sum(count)::bigint as n from stats_quarter
     where workspace_id = ${workspaceId}
       and bucket >= date_bin('15 minutes', now() - make_interval(hours => ${hours}), timestamptz '2000-01-01 00:00:00+00')
       and status in ('sent', 'failed')
     group by 1, 2`);
  return rows.map((r) => ({ key: r.key, status: r.status, n: Number(r.n) }));
}

const CONTACT_ORDER = {
  sent: sql`sent desc, contact_id`,
  failed: sql`failed desc, contact_id`,
  lastAt: sql`last_at desc, contact_id`,
} as const;

export type ContactTotals = {
  contactId: string;
  groupId: string;
  phone: string;
  nombre: string | null;
  sent: number;
  failed: number;
  delivered: number;
  read: number;
  lastAt: Date;
};

type ContactTotalsRow = {
  contact_id: string;
  group_id: string;
  phone: string;
  nombre: string | null;
  sent: string;
  failed: string;
  delivered: string;
  read: string;
  last_at: string;
};

const toContactTotals = (r: ContactTotalsRow): ContactTotals => ({
  contactId: r.contact_id,
  groupId: r.group_id,
  phone: r.phone,
  nombre: r.nombre,
  sent: Number(r.sent),
  failed: Number(r.failed),
  delivered: Number(r.delivered),
  read: Number(r.read),
  lastAt: new Date(r.last_at),
});

type ContactPage = {
  sort: keyof typeof CONTACT_ORDER;
  limit: number;
  offset: number;
  groupId?: string;
};

/**
 * A page of per-contact totals, and how many contacts have any (`stats_contact_count`): all time,
 * with `since` one of the preset periods kept in `stats_contact_window` (see `contactWindowDay`),
 * or with `range` a custom period kept in `stats_contact_range`. All are read in the order of
 * an index.
 */
export async function contactTotalsPage(
  tx: Tx,
  workspaceId: string,
  {
    sort,
    limit,
    offset,
    groupId,
    since,
    range,
  }: ContactPage & { since?: string; range?: { from: string; to: string } },
): Promise<{ rows: ContactTotals[]; total: number }> {
  const from = range
    ? sql`stats_contact_range where workspace_id = ${workspaceId} and day_from = ${range.from}::date and day_to = ${range.to}::date`
    : since
      ? sql`stats_contact_window where workspace_id = ${workspaceId} and since = ${since}::date`
      : sql`stats_contact where workspace_id = ${workspaceId}`;
  const group = groupId ? sql` and group_id = ${groupId}` : sql``;
  // One after the other: both run on the transaction's one connection.
  const page = await tx.execute<ContactTotalsRow>(sql`
      select contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at from ${from}${group}
       order by ${CONTACT_ORDER[sort]} limit ${limit} offset ${offset}`);
  const total = await readContactCount(tx, workspaceId, scopeKey({ since, range }), groupId);
  return { rows: page.rows.map(toContactTotals), total };
}

/** The local day the workspace's preset windows end on, or null before its first fold. */
export async function contactWindowDay(tx: Tx, workspaceId: string): Promise<string | null> {
  const { rows } = await tx.execute<{ day: string | null }>(
    sql`select window_day::text as day from stats_fold where workspace_id = ${workspaceId}`,
  );
  return rows[0]?.day ?? null;
}

/**
 * Like `contactTotalsPage` over any local days `from`..`to`, summed from `stats_contact_day`:
 * the cost grows with the contacts messaged in the period (each contact-day one row), not
 * with the workspace's history. Group, phone and name are those of the contact's latest
 * message in the period — its latest day's row (a contact's days never share a last time) —
 * and `groupId` keeps the contacts whose latest message came through it, as in the preset
 * windows, so both give the same page.
 */
export async function contactPeriodPage(
  tx: Tx,
  workspaceId: string,
  { from, to, sort, limit, offset, groupId }: ContactPage & { from: string; to: string },
): Promise<{ rows: ContactTotals[]; total: number }> {
  // Two passes. The ranking adds up only the sort's column per contact (one aggregate over
  // the period's ~160k contact-days of a busy month, kept in memory: ~40% less than all six);
  // the page's contacts then sum their own days through the (contact, day) index and look up
  // their latest day's row. The count reads the ranking.
  await tx.execute(sql`set local work_mem = '16MB'`);
  const days = sql`workspace_id = ${workspaceId} and day between ${from}::date and ${to}::date`;
  const { rows } = await tx.execute<ContactTotalsRow & { total: number }>(sql`
      with ranked as materialized (
        select contact_id, ${RANK_KEY[sort]} as ${sql.identifier(RANK_COLUMN[sort])}
          from stats_contact_day where ${days}
         group by contact_id${
           groupId ? sql` having max(day) filter (where group_id = ${groupId}) = max(day)` : sql``
         }
      ),
      top as (select contact_id from ranked order by ${CONTACT_ORDER[sort]} limit ${limit} offset ${offset}),
      page as (
        select contact_id, ${contactDayTotals} from stats_contact_day
         where ${days} and contact_id in (select contact_id from top)
         group by contact_id
      )
      select counted.total, page.contact_id, latest.group_id, latest.phone, latest.nombre,
             page.sent, page.failed, page.delivered, page.read, page.last_at
        from (select count(*)::int as total from ranked) counted
        left join page on true
        left join stats_contact_day latest on latest.workspace_id = ${workspaceId}
         and latest.day = page.last_day and latest.contact_id = page.contact_id
       order by ${CONTACT_ORDER[sort]}`);
  return {
    rows: rows.filter((r) => r.contact_id !== null).map(toContactTotals),
    total: rows[0]?.total ?? 0,
  };
}

/**
 * The rows of `contactPeriodPage` for contacts already ranked (`contactIds`, e.g. by the
 * contact-days held in memory): their sums over local days `from`..`to` through the
 * (contact, day) index and their latest day's row, in the sort's order.
 */
export async function contactPeriodRows(
  tx: Tx,
  workspaceId: string,
  {
    from,
    to,
    sort,
    contactIds,
  }: { from: string; to: string; sort: ContactPage["sort"]; contactIds: string[] },
): Promise<ContactTotals[]> {
  if (contactIds.length === 0) return [];
  const { rows } = await tx.execute<ContactTotalsRow>(sql`
    select page.contact_id, latest.group_id, latest.phone, latest.nombre,
           page.sent, page.failed, page.delivered, page.read, page.last_at
      from (select contact_id, ${contactDayTotals} from stats_contact_day
             where workspace_id = ${workspaceId} and day between ${from}::date and ${to}::date
               and contact_id = any(${sql.param(contactIds)}::uuid[])
             group by contact_id) page
      join stats_contact_day latest on latest.workspace_id = ${workspaceId}
       and latest.day = page.last_day and latest.contact_id = page.contact_id
     order by ${CONTACT_ORDER[sort]}`);
  return rows.map(toContactTotals);
}

/** What `contactPeriodPage` ranks a period's contacts by, per sort (as `CONTACT_ORDER` reads it). */
const RANK_KEY = {
  sent: sql`sum(sent::int)`,
  failed: sql`sum(failed::int)`,
  lastAt: sql`max(last_at)`,
} as const;
const RANK_COLUMN = { sent: "sent", failed: "failed", lastAt: "last_at" } as const;

export type TaskOutcomeCount = {
  key: string;
  status: string;
  n: number;
  timed: number;
  durationMs: number;
};

// grouping(day, action, bot_id, status): a set bit is a column left out of the set.
const TASK_SETS = { day: 6, action: 10, bot: 12 } as const;

/**
 * Task outcomes over local days `from`..`to` from `stats_task_day`, per day, per action and
 * per bot × final status (one scan, grouping sets), with the timed count and summed duration.
 */
export async function sumTaskDays(
  tx: Tx,
  workspaceId: string,
  { from, to, botId }: { from: string; to: string; botId?: string },
): Promise<Record<keyof typeof TASK_SETS, TaskOutcomeCount[]>> {
  const { rows } = await tx.execute<{
    g: number;
    key: string;
    status: string;
    n: string;
    timed: string;
    duration_ms: string;
  }>(sql`
    select grouping(day, action, bot_id, status)::int as g,
           coalesce(to_char(day, 'YYYY-MM-DD'), action, bot_id::text) as key, status,
           sum(count)::bigint as n, sum(timed)::bigint as timed, sum(duration_ms)::bigint as duration_ms
      from stats_task_day
     where workspace_id = ${workspaceId} and day between ${from}::date and ${to}::date
       ${botId ? sql`and bot_id = ${botId}` : sql``}
     group by grouping sets ((day, status), (action, status), (bot_id, status))`);
  const of = (g: number) =>
    rows
      .filter((r) => r.g === g)
      .map((r) => ({
        key: r.key,
        status: r.status,
        n: Number(r.n),
        timed: Number(r.timed),
        durationMs: Number(r.duration_ms),
      }));
  return { day: of(TASK_SETS.day), action: of(TASK_SETS.action), bot: of(TASK_SETS.bot) };
}

/** First and last local day with events of a campaign (null when it has none). */
export async function campaignDaySpan(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
): Promise<{ first: string; last: string } | null> {
  const { rows } = await tx.execute<{ first: string | null; last: string | null }>(sql`
    select to_char(min(day), 'YYYY-MM-DD') as first, to_char(max(day), 'YYYY-MM-DD') as last
      from stats_day where workspace_id = ${workspaceId} and campaign_id = ${campaignId}`);
  const r = rows[0]!;
  return r.first && r.last ? { first: r.first, last: r.last } : null;
}
