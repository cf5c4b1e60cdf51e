/**
 * Task totals for the dashboard, read through `bot_task`'s indexes only: open tasks through
 * the partial PENDING and in-flight indexes (which hold just those), finished ones through
 * `bot_task_finished_idx` (workspace, finished_at, then every column read here), so a range
 * costs the tasks that finished in it, never the workspace's whole history.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import type { TaskStatusValue } from "./tasks.table";

export type TaskCount = { key: string; status: TaskStatusValue; n: number };
export type ActionDuration = {
  action: string;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
};

const botFilter = (botId?: string) => (botId ? sql` and bot_id = ${botId}` : sql``);

/** Tasks waiting or in flight now, per status. */
export async function countOpenTasks(
  tx: Tx,
  workspaceId: string,
  botId?: string,
): Promise<{ status: TaskStatusValue; n: number }[]> {
  const { rows } = await tx.execute<{ status: TaskStatusValue; n: number }>(sql`
    select 'PENDING'::text as status, count(*)::int as n from bot_task
     where workspace_id = ${workspaceId} and status = 'PENDING'${botFilter(botId)}
    union all
    select status::text, count(*)::int from bot_task
     where workspace_id = ${workspaceId} and status in ('LEASED', 'RUNNING')${botFilter(botId)}
     group by status`);
  return rows;
}

// grouping(day, action, bot_id, status): a set bit is a column left out of the set.
const BY_DAY = 6;
const BY_ACTION = 10;
const BY_BOT = 12;
/** Not a grouping set: marks the per-action duration rows. */
const DURATION = -1;

/**
 * Tasks that finished within local days `from`..`to` of `timeZone`: per local day, action and
 * bot × status, and each action's duration (first start to finish; canceled tasks and tasks
 * that never started left out) as mean, median and 95th percentile, from one index range scan.
 */
export async function finishedTaskTotals(
  tx: Tx,
  workspaceId: string,
  { from, to, timeZone, botId }: { from: string; to: string; timeZone: string; botId?: string },
): Promise<{
  byDay: TaskCount[];
  byAction: TaskCount[];
  byBot: TaskCount[];
  durations: ActionDuration[];
}> {
  const { rows } = await tx.execute<{
    g: number;
    day: string | null;
    action: string | null;
    bot_id: string | null;
    status: TaskStatusValue | null;
    n: number;
    avg_ms: number | null;
    p50_ms: number | null;
    p95_ms: number | null;
  }>(sql`
    with t as materialized (
      select (finished_at at time zone ${timeZone})::date as day, action, bot_id,
             status::text as status,
             case when status <> 'CANCELED'
                  then extract(epoch from finished_at - started_at) * 1000 end as ms
        from bot_task
       where workspace_id = ${workspaceId} and finished_at is not null
         and finished_at >= (${from}::date)::timestamp at time zone ${timeZone}
         and finished_at < (${to}::date + 1)::timestamp at time zone ${timeZone}${botFilter(botId)}
    )
    select grouping(day, action, bot_id, status)::int as g, to_char(day, 'YYYY-MM-DD') as day,
           action, bot_id::text as bot_id, status, count(*)::int as n,
           null::float8 as avg_ms, null::float8 as p50_ms, null::float8 as p95_ms
      from t
     group by grouping sets ((day, status), (action, status), (bot_id, status))
    union all
    select ${DURATION}, null, action, null, null, count(*)::int, avg(ms)::float8,
           (percentile_cont(0.5) within group (order by ms))::float8,
           (percentile_cont(0.95) within group (order by ms))::float8
      from t group by action`);
  const counts = (g: number, key: (r: (typeof rows)[number]) => string | null) =>
    rows.filter((r) => r.g === g).map((r) => ({ key: key(r) ?? "", status: r.status!, n: r.n }));
  return {
    byDay: counts(BY_DAY, (r) => r.day),
    byAction: counts(BY_ACTION, (r) => r.action),
    byBot: counts(BY_BOT, (r) => r.bot_id),
    durations: rows
      .filter((r) => r.g === DURATION)
      .map((r) => ({ action: r.action!, avgMs: r.avg_ms, p50Ms: r.p50_ms, p95Ms: r.p95_ms })),
  };
}
