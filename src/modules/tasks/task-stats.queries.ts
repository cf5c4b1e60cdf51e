/**
 * What the stats module reads of bot tasks: final outcomes (task events `succeeded`,
 * `failed`, `timed_out`, `canceled`) as SQL it folds into its own counters, the workspaces
 * that have task events, and the tasks open right now.
 */
import { sql, type SQL } from "drizzle-orm";
import { systemDb } from "@/server/db/client";
import { currentXmax, unseenBy } from "@/server/db/snapshot-visibility";
import type { Tx } from "@/server/db/tenant";
import type { TaskStatusValue } from "./tasks.table";

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * Final outcomes committed since `after` (a `pg_current_snapshot()` text), bounded by
 * `since` — the same visibility test as campaigns' `eventsSince` (a row is new when that
 * snapshot could not see its transaction), so one fold statement reads both consistently.
 *
 * Columns: occurred_at, bot_id (nil uuid for none), action ('' when the task is gone), status
 * (SUCCEEDED, FAILED, TIMED_OUT, CANCELED) and duration_ms (first start to this outcome; null
 * for a task that never started and for cancellations).
 */
export function taskOutcomesSince({
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
    select e.occurred_at, coalesce(e.bot_id, t.bot_id, ${NIL_UUID}::uuid) as bot_id,
           coalesce(t.action, '') as action, upper(e.type) as status,
           case when e.type <> 'canceled' and t.started_at <= e.occurred_at
                then (extract(epoch from e.occurred_at - t.started_at) * 1000)::bigint end as duration_ms
      from task_event e
      cross join ${currentXmax}
      left join bot_task t on t.workspace_id = e.workspace_id and t.id = e.task_id
     where e.workspace_id = ${workspaceId}
       and e.type in ('succeeded', 'failed', 'timed_out', 'canceled') ${timeBound} ${unseen}`;
}

/**
 * Workspaces with task events (as the owner, across tenants): with `recentSeconds`, those with
 * one inside that window; else all. One index probe per workspace (a loose scan of the key).
 */
export async function workspacesWithTaskEvents(recentSeconds: number | null): Promise<string[]> {
  const recent =
    recentSeconds === null
      ? sql`true`
      : sql`exists (select 1 from task_event r where r.workspace_id = ws.id
                     and r.occurred_at > now() - make_interval(secs => ${recentSeconds}))`;
  const { rows } = await systemDb().execute<{ workspace_id: string }>(sql`
    with recursive ws(id) as (
      (select workspace_id from task_event order by workspace_id limit 1)
      union all
      select (select workspace_id from task_event where workspace_id > ws.id
               order by workspace_id limit 1) from ws where ws.id is not null)
    select id as workspace_id from ws where id is not null and ${recent}`);
  return rows.map((r) => r.workspace_id);
}

/**
 * Tasks waiting or in flight now, per status, through the partial PENDING and in-flight
 * indexes (which hold only those tasks).
 */
export async function countOpenTasks(
  tx: Tx,
  workspaceId: string,
  botId?: string,
): Promise<{ status: TaskStatusValue; n: number }[]> {
  const bot = botId ? sql` and bot_id = ${botId}` : sql``;
  const { rows } = await tx.execute<{ status: TaskStatusValue; n: number }>(sql`
    select 'PENDING'::text as status, count(*)::int as n from bot_task
     where workspace_id = ${workspaceId} and status = 'PENDING'${bot}
    union all
    select status::text, count(*)::int from bot_task
     where workspace_id = ${workspaceId} and status in ('LEASED', 'RUNNING')${bot}
     group by status`);
  return rows;
}
