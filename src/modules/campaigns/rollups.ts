import { sql, type SQL } from "drizzle-orm";

/** Stands for "no bot" / "no group" in rollup keys (key columns cannot be null). */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * Writers add into one of this many shards of a key (their backend's pid modulo it), so
 * concurrent settles of one campaign never queue on a single rollup row's lock. Readers sum.
 */
const SHARDS = 16;

/**
 * `insert … select` of rollup deltas from a CTE named `source` with columns bot_id,
 * group_id, status (text) and n (the delta), plus campaign_id when `campaignId` is null:
 * one upsert per (hour, key), never per message.
 */
export function upsertRollups(workspaceId: string, campaignId: string | null, source: string): SQL {
  const campaign = campaignId === null ? sql.raw("campaign_id") : sql`${campaignId}::uuid`;
  return sql`insert into campaign_rollup (workspace_id, bucket, campaign_id, bot_id, group_id, status, shard, count)
    select ${workspaceId}, date_trunc('hour', now()), ${campaign},
           coalesce(bot_id, ${NIL_UUID}::uuid), coalesce(group_id, ${NIL_UUID}::uuid), status,
           (pg_backend_pid() % ${sql.raw(String(SHARDS))})::smallint, sum(n)
      from ${sql.raw(source)} group by 2, 3, 4, 5, 6
    on conflict (workspace_id, bucket, campaign_id, bot_id, group_id, status, shard)
      do update set count = campaign_rollup.count + excluded.count`;
}
