/**
 * What the stats module reads of campaigns' data, as SQL it folds in its own statements:
 * message events with the recipient's group and contact, and the workspaces that have some.
 */
import { inArray, and, eq, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { systemDb } from "@/server/db/client";
import { currentXmax, unseenBy } from "@/server/db/snapshot-visibility";
import { campaigns } from "./campaigns.table";
import { NIL_UUID } from "./rollups";

/**
 * Events committed since `after` (a `pg_current_snapshot()` text from an earlier statement):
 * a row is new when that snapshot could not see its inserting transaction, whatever its id or
 * time says — rows commit out of `occurred_at` and id order. `since` bounds the scan by time
 * (partition pruning, index range); `null`s take every event (rebuild, first fold). The
 * visibility test is server/db/snapshot-visibility.ts's.
 *
 * Columns: occurred_at, campaign_id, bot_id, group_id (nil uuid for none), contact_id, phone
 * and nombre (the recipient's snapshot; null when the recipient is gone), type, code ('' for
 * none).
 */
export function eventsSince({
  workspaceId,
  since,
  after,
}: {
  workspaceId: string;
  since: Date | null;
  after: string | null;
}): SQL {
  const timeBound = since ? sql`and e.occurred_at >= ${since.toISOString()}::timestamptz` : sql``;
  const unseen = after ? sql`and ${unseenBy("e", after)}` : sql``;
  return sql`
    select e.occurred_at, e.campaign_id, coalesce(e.bot_id, ${NIL_UUID}::uuid) as bot_id,
           coalesce(r.group_id, ${NIL_UUID}::uuid) as group_id, r.contact_id, r.phone, r.nombre, e.type,
           coalesce(e.code, '') as code
      from message_event e
      cross join ${currentXmax}
      left join campaign_recipient r
        on r.workspace_id = e.workspace_id and r.campaign_id = e.campaign_id and r.id = e.recipient_id
     where e.workspace_id = ${workspaceId} and e.campaign_id is not null ${timeBound} ${unseen}`;
}

/**
 * Workspaces with events (as the owner, across tenants): those with any inside the last
 * `recentSeconds`, or, with `recentSeconds` null, every workspace that has one (a loose index
 * scan over message_event's key: one index probe per workspace).
 */
export async function workspacesWithEvents(recentSeconds: number | null): Promise<string[]> {
  const { rows } = await systemDb().execute<{ workspace_id: string }>(
    recentSeconds === null
      ? sql`with recursive ws(id) as (
              (select workspace_id from message_event order by workspace_id limit 1)
              union all
              select (select workspace_id from message_event where workspace_id > ws.id
                       order by workspace_id limit 1) from ws where ws.id is not null)
            select id as workspace_id from ws where id is not null`
      : sql`select distinct workspace_id from message_event
             where occurred_at > now() - make_interval(secs => ${recentSeconds})`,
  );
  return rows.map((r) => r.workspace_id);
}

/** Names of the workspace's campaigns among `ids`. */
export async function campaignNames(tx: Tx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return tx
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), inArray(campaigns.id, ids)));
}

/** Campaigns running or paused right now. */
export async function countActiveCampaigns(tx: Tx, workspaceId: string): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from campaign
     where workspace_id = ${workspaceId} and status in ('running', 'paused', 'scheduled')`);
  return rows[0]!.n;
}

/** Phones suppressed (opted out) since the start of local day `day` in `timeZone`. */
export async function countSuppressedSince(
  tx: Tx,
  workspaceId: string,
  { day, timeZone }: { day: string; timeZone: string },
): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from suppression
     where workspace_id = ${workspaceId}
       and created_at >= (${day}::date)::timestamp at time zone ${timeZone}`);
  return rows[0]!.n;
}
