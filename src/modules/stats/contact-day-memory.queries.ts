/**
 * What a process reads to hold a workspace's contact-days in memory (contact-day-memory.ts):
 * the generation and the last day it may hold, the held days in bulk, and the newer days per view.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import type { PackedDay } from "./contact-day-memory";

/**
 * The workspace's `closed_gen` and the last local day a process may hold (three days back: a
 * fold moves the generation for days two or more back, so a fold that began before midnight
 * still moves it for any day a process counts as held after midnight). Null before any fold.
 */
export async function readClosedHead(
  tx: Tx,
  workspaceId: string,
): Promise<{ gen: string; closedTo: number } | null> {
  const { rows } = await tx.execute<{ gen: string; closed_to: number }>(sql`
    select closed_gen::text as gen,
           (now() at time zone time_zone)::date - date '2000-01-01' - 3 as closed_to
      from stats_fold where workspace_id = ${workspaceId}`);
  const r = rows[0];
  return r ? { gen: r.gen, closedTo: Number(r.closed_to) } : null;
}

/** The first local day with contact-days (null: none). */
export async function firstContactDay(tx: Tx, workspaceId: string): Promise<number | null> {
  const { rows } = await tx.execute<{ first: number | null }>(sql`
    select min(day) - date '2000-01-01' as first from stats_contact_day where workspace_id = ${workspaceId}`);
  const first = rows[0]?.first;
  return first === null || first === undefined ? null : Number(first);
}

/**
 * The contact-days of days `from`..`to` (numbers), one text per day (`PackedDay`), in day
 * order: one string per day travels and parses far faster than a row per contact-day.
 */
export async function readPackedDays(
  tx: Tx,
  workspaceId: string,
  { from, to }: { from: number; to: number },
): Promise<PackedDay[]> {
  const { rows } = await tx.execute<{ day: number; rows: string }>(sql`
    select day - date '2000-01-01' as day,
           string_agg(concat_ws(',', contact_id, sent, failed, group_id,
                      (extract(epoch from last_at) * 1000000)::bigint), ';') as rows
      from stats_contact_day
     where workspace_id = ${workspaceId}
       and day between date '2000-01-01' + ${from}::int and date '2000-01-01' + ${to}::int
     group by day order by day`);
  return rows.map((r) => ({ day: Number(r.day), rows: r.rows }));
}
