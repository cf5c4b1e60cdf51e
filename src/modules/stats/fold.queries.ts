/**
 * Folding message events into the stats tables: one statement adds the events the previous
 * fold's snapshot could not see and saves the snapshot it saw itself, so each committed event
 * is counted exactly once however late it commits (docs/dashboards.md, Freshness).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";

export type FoldState = { snapshot: string | null; timeZone: string; foldedAt: Date };

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
  }>(sql`
    select snapshot, time_zone, folded_at from stats_fold where workspace_id = ${workspaceId} for update`);
  const r = rows[0]!;
  return { snapshot: r.snapshot, timeZone: r.time_zone, foldedAt: new Date(r.folded_at) };
}

/** Drops every counter of the workspace (a rebuild folds everything again). */
export async function clearStats(tx: Tx, workspaceId: string) {
  for (const table of ["stats_quarter", "stats_day", "stats_contact"])
    await tx.execute(sql`delete from ${sql.identifier(table)} where workspace_id = ${workspaceId}`);
}

/**
 * Adds `source`'s events (columns of campaigns' `eventsSince`) to the 15-minute, local-day and
 * per-contact counters, and records this statement's snapshot as the workspace's new state.
 */
const newer = sql`(excluded.last_at, excluded.group_id, excluded.phone)
  > (stats_contact.last_at, stats_contact.group_id, stats_contact.phone)`;

export async function foldEvents(
  tx: Tx,
  { workspaceId, timeZone, source }: { workspaceId: string; timeZone: string; source: SQL },
): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    with src as materialized (${source}),
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
      select ${workspaceId}, contact_id,
             (array_agg(group_id order by occurred_at desc, group_id desc, phone desc))[1],
             (array_agg(phone order by occurred_at desc, group_id desc, phone desc))[1],
             (array_agg(nombre order by occurred_at desc, group_id desc, phone desc))[1],
             count(*) filter (where type = 'sent'), count(*) filter (where type = 'failed'),
             count(*) filter (where type = 'delivered'), count(*) filter (where type = 'read'),
             max(occurred_at)
        from src where contact_id is not null group by contact_id
      on conflict on constraint stats_contact_pk do update set
        sent = stats_contact.sent + excluded.sent,
        failed = stats_contact.failed + excluded.failed,
        delivered = stats_contact.delivered + excluded.delivered,
        read = stats_contact.read + excluded.read,
        -- group, phone and name of the latest event; ties broken by group and phone so any
        -- fold order gives the same
        group_id = case when ${newer} then excluded.group_id else stats_contact.group_id end,
        phone = case when ${newer} then excluded.phone else stats_contact.phone end,
        nombre = case when ${newer} then excluded.nombre else stats_contact.nombre end,
        last_at = greatest(stats_contact.last_at, excluded.last_at)
    ),
    saved as (
      update stats_fold set snapshot = pg_current_snapshot()::text, time_zone = ${timeZone}, folded_at = now()
       where workspace_id = ${workspaceId}
    )
    select count(*)::int as n from src`);
  return rows[0]!.n;
}
