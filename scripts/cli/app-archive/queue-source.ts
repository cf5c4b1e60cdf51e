/**
 * The pg-boss work pending in the source, read inside the backup's snapshot: every schedule
 * (recurring campaigns' crons, the app's own maintenance crons) and every job not yet finished
 * (created, retry, active). Finished jobs are history and are left out. Restore queues them
 * again through pg-boss's API (queue-restore.ts), so the archive never depends on the layout
 * of pg-boss's own tables beyond these few columns.
 */
import type pg from "pg";
import type { QueueItem } from "./format";

const PAGE = 1000;
const PENDING = "state in ('created', 'retry', 'active')";

/** Null when the database has no pg-boss schema (pg-boss elsewhere, or never started). */
export async function countQueue(
  client: pg.ClientBase,
): Promise<{ schedules: number; jobs: number } | null> {
  const { rows } = await client.query<{ schedule: string | null; job: string | null }>(
    "select to_regclass('pgboss.schedule')::text as schedule, to_regclass('pgboss.job')::text as job",
  );
  if (!rows[0]!.schedule || !rows[0]!.job) return null;
  await client.query("lock table pgboss.schedule, pgboss.job in access share mode");
  const { rows: n } = await client.query<{ schedules: number; jobs: number }>(
    `select (select count(*) from pgboss.schedule)::int as schedules,
            (select count(*) from pgboss.job where ${PENDING})::int as jobs`,
  );
  return n[0]!;
}

/** The schedules, then the pending jobs, a page at a time. */
export async function* queuePages(client: pg.ClientBase): AsyncGenerator<QueueItem[]> {
  const { rows: schedules } = await client.query<
    Omit<Extract<QueueItem, { type: "schedule" }>, "type">
  >(`select name, key, cron, timezone, data, options from pgboss.schedule order by name, key`);
  for (let i = 0; i < schedules.length; i += PAGE) {
    yield schedules.slice(i, i + PAGE).map((s) => ({ type: "schedule" as const, ...s }));
  }
  let after: [string, string] = ["", "00000000-0000-0000-0000-000000000000"];
  for (;;) {
    const { rows } = await client.query<Omit<Extract<QueueItem, { type: "job" }>, "type">>(
      `select id::text, name, data, priority, retry_limit as "retryLimit",
              retry_delay as "retryDelay", retry_backoff as "retryBackoff",
              expire_seconds as "expireInSeconds", singleton_key as "singletonKey",
              to_char(start_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "startAfter"
         from pgboss.job
        where ${PENDING} and (name, id) > ($1, $2::uuid)
        order by name, id limit ${PAGE}`,
      after,
    );
    if (rows.length === 0) return;
    yield rows.map((j) => ({ type: "job" as const, ...j }));
    const last = rows[rows.length - 1]!;
    after = [last.name, last.id];
  }
}
