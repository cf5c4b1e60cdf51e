/**
 * `stats_contact_count`: how many contacts each per-contact table holds per group, so the
 * top-contacts table's total is a few rows whatever the volume. A scope names the table and
 * period: `all` (`stats_contact`), `since:<day>` (a preset window), `range:<from>:<to>` (a kept
 * custom period). Every writer runs under the workspace's fold lock, so counts never race.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";

export type CountScope = { since?: string; range?: { from: string; to: string } };

/** The scope key of a page's table (the key the SQL below writes). */
export function scopeKey({ since, range }: CountScope): string {
  if (range) return `range:${range.from}:${range.to}`;
  if (since) return `since:${since}`;
  return "all";
}

const day = (column: SQL) => sql`to_char(${column}, 'YYYY-MM-DD')`;
/** The scope key of a window row (`since` column) or a kept period's row (`day_from`, `day_to`). */
export const windowScope = (since: SQL) => sql`'since:' || ${day(since)}`;
export const rangeScope = (from: SQL, to: SQL) =>
  sql`'range:' || ${day(from)} || ':' || ${day(to)}`;

/**
 * Adds the moves of `moves` (columns `scope`, `was`: the row's group before the statement, null
 * for a new row, `now`: its group after) to the counts: a new row counts one in its group, a
 * row whose group changed moves from one group to the other. A CTE body.
 */
export function addCountMoves(workspaceId: string, moves: string): SQL {
  const m = sql.identifier(moves);
  return sql`
    insert into stats_contact_count (workspace_id, scope, group_id, contacts)
    select ${workspaceId}, scope, group_id, sum(d)::int from (
      select scope, now as group_id, 1 as d from ${m} where was is distinct from now
      union all
      select scope, was, -1 from ${m} where was is not null and was <> now
    ) deltas group by scope, group_id
    on conflict on constraint stats_contact_count_pk
      do update set contacts = stats_contact_count.contacts + excluded.contacts`;
}

/** The total of a scope, or of one group in it. */
export async function readContactCount(
  tx: Tx,
  workspaceId: string,
  scope: string,
  groupId?: string,
): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    select coalesce(sum(contacts), 0)::int as n from stats_contact_count
     where workspace_id = ${workspaceId} and scope = ${scope}
       ${groupId ? sql`and group_id = ${groupId}` : sql``}`);
  return rows[0]!.n;
}

/** Counts the preset windows again from their rows (after the daily roll rewrote them). */
export async function recountWindows(tx: Tx, workspaceId: string) {
  await tx.execute(sql`
    delete from stats_contact_count where workspace_id = ${workspaceId} and scope like 'since:%'`);
  await tx.execute(sql`
    insert into stats_contact_count (workspace_id, scope, group_id, contacts)
    select ${workspaceId}, ${windowScope(sql`since`)}, group_id, count(*)::int
      from stats_contact_window where workspace_id = ${workspaceId} group by since, group_id`);
}
