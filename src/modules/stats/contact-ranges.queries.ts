/**
 * Custom periods kept per contact (`stats_range` / `stats_contact_range`): a period's first
 * view sums its contact-days once; later views read its rows in index order, and the fold
 * adds new events to them (`foldEvents`), so a kept period always equals the sum of its days.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { rangeScope, scopeKey } from "./contact-counts";
import { contactDayTotals } from "./contact-day-sums";

export type DayRange = { from: string; to: string };

/** Periods kept per workspace, at most; the least recently viewed go first. */
export const KEPT_RANGES = 16;
/** A period not viewed for this long is dropped. */
const UNUSED_FOR = "1 day";
/** A view marks its period used at most this often (a read should rarely write). */
const TOUCH_EVERY = "1 minute";

/**
 * Whether the period is kept; marks it used when its mark is over a minute old. The mark is
 * best effort: a view never waits on another transaction's lock of the period's row.
 */
export async function readKeptRange(tx: Tx, workspaceId: string, r: DayRange): Promise<boolean> {
  const { rows } = await tx.execute<{ stale: boolean }>(sql`
    select used_at < now() - ${TOUCH_EVERY}::interval as stale from stats_range
     where workspace_id = ${workspaceId} and day_from = ${r.from}::date and day_to = ${r.to}::date`);
  if (rows.length === 0) return false;
  if (rows[0]!.stale)
    await tx.execute(sql`
      update stats_range set used_at = now()
       where (workspace_id, day_from, day_to) in (
         select workspace_id, day_from, day_to from stats_range
          where workspace_id = ${workspaceId} and day_from = ${r.from}::date and day_to = ${r.to}::date
          for update skip locked)`);
  return true;
}

/**
 * Keeps the period: sums its contact-days per contact under the workspace's fold lock (so no
 * fold runs in between: every event is in the sums or in a later fold's, once), counts them
 * per group, then drops the periods past their use. False when it was kept already or the
 * workspace has no fold state yet (nothing folded: the next view tries again).
 */
export async function keepRange(tx: Tx, workspaceId: string, r: DayRange): Promise<boolean> {
  const locked = await tx.execute(
    sql`select 1 from stats_fold where workspace_id = ${workspaceId} for update`,
  );
  if (locked.rows.length === 0) return false;
  const created = await tx.execute(sql`
    insert into stats_range (workspace_id, day_from, day_to) values (${workspaceId}, ${r.from}::date, ${r.to}::date)
    on conflict do nothing returning 1`);
  if (created.rows.length === 0) return false;
  // A busy month's contacts (~50k) summed in memory; the latest rows are looked up within the
  // period's days (unbounded, the planner scans every contact-day of the workspace).
  await tx.execute(sql`set local work_mem = '32MB'`);
  await tx.execute(sql`
    with kept as (
      insert into stats_contact_range (workspace_id, day_from, day_to, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at)
      select ${workspaceId}, ${r.from}::date, ${r.to}::date, s.contact_id, latest.group_id, latest.phone, latest.nombre,
             s.sent, s.failed, s.delivered, s.read, s.last_at
        from (select contact_id, ${contactDayTotals} from stats_contact_day
               where workspace_id = ${workspaceId} and day between ${r.from}::date and ${r.to}::date
               group by contact_id) s
        join stats_contact_day latest on latest.workspace_id = ${workspaceId}
         and latest.day between ${r.from}::date and ${r.to}::date
         and latest.day = s.last_day and latest.contact_id = s.contact_id
      returning group_id
    )
    insert into stats_contact_count (workspace_id, scope, group_id, contacts)
    select ${workspaceId}, ${scopeKey({ range: r })}, group_id, count(*)::int from kept group by group_id`);
  await dropUnusedRanges(tx, workspaceId);
  return true;
}

/**
 * Drops the workspace's periods not viewed for a day and those beyond the most recently
 * viewed `KEPT_RANGES` (their rows and counts go with them). Run under the fold lock.
 */
export async function dropUnusedRanges(tx: Tx, workspaceId: string) {
  await tx.execute(sql`
    with gone as (
      delete from stats_range where workspace_id = ${workspaceId} and (
        used_at < now() - ${UNUSED_FOR}::interval
        or (day_from, day_to) not in (
          select day_from, day_to from stats_range where workspace_id = ${workspaceId}
           order by used_at desc, day_from desc, day_to desc limit ${KEPT_RANGES}))
      returning day_from, day_to
    ),
    counts as (
      delete from stats_contact_count c using gone
       where c.workspace_id = ${workspaceId} and c.scope = ${rangeScope(sql`gone.day_from`, sql`gone.day_to`)}
    )
    delete from stats_contact_range c using gone
     where c.workspace_id = ${workspaceId} and c.day_from = gone.day_from and c.day_to = gone.day_to`);
}
