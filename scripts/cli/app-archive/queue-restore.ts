/**
 * Puts an archive's pending pg-boss work back (queue-source.ts), through pg-boss's own API but
 * on the restore's transaction (its `db` option), so jobs and rows commit or roll back
 * together. pg-boss is started against the target first — with no supervision, cron or
 * workers — only to create or upgrade its schema and the app's queues, as the app's first
 * start would.
 */
import type pg from "pg";
import { PgBoss, type Db, type JobInsert } from "pg-boss";
import { JOBS } from "@jobs/registry";
import { parseQueueRecord, type QueueItem } from "./format";

type Job = Extract<QueueItem, { type: "job" }>;

export type QueueRestore = {
  /** --force: the target's own pending work goes with the data it referred to. */
  clear(client: pg.ClientBase): Promise<void>;
  /** One Q record: JSON lines of schedules and jobs. */
  add(client: pg.ClientBase, payload: Buffer): Promise<{ schedules: number; jobs: number }>;
  close(): Promise<void>;
};

function onTransaction(client: pg.ClientBase): Db {
  return { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
}

function toInsert(job: Job, now: Date): JobInsert {
  const startAfter = new Date(job.startAfter);
  return {
    id: job.id,
    data: job.data as object,
    priority: job.priority,
    retryLimit: job.retryLimit,
    retryDelay: job.retryDelay,
    retryBackoff: job.retryBackoff,
    expireInSeconds: job.expireInSeconds,
    ...(job.singletonKey !== null && { singletonKey: job.singletonKey }),
    // A job that was running has no worker any more: it runs again, like after a crash.
    startAfter: startAfter > now ? startAfter : now,
  };
}

export async function openQueueRestore(url: string): Promise<QueueRestore> {
  const boss = new PgBoss({
    connectionString: url,
    application_name: "salestrack-restore",
    max: 2,
    supervise: false,
    schedule: false,
  });
  boss.on("error", () => undefined);
  await boss.start();
  const queues = new Set<string>();
  for (const job of JOBS) {
    await boss.createQueue(job.name, job.options);
    queues.add(job.name);
  }
  const ensure = async (name: string) => {
    if (queues.has(name)) return;
    await boss.createQueue(name);
    queues.add(name);
  };

  return {
    async clear(client) {
      await client.query("delete from pgboss.schedule");
      await client.query("delete from pgboss.job");
    },
    async add(client, payload) {
      const db = onTransaction(client);
      const items = parseQueueRecord(payload);
      const byQueue = new Map<string, JobInsert[]>();
      const now = new Date();
      let schedules = 0;
      for (const item of items) {
        await ensure(item.name);
        if (item.type === "schedule") {
          await boss.schedule(item.name, item.cron, item.data as object | null, {
            ...item.options,
            tz: item.timezone ?? "UTC",
            key: item.key,
            db,
          });
          schedules += 1;
        } else {
          byQueue.set(item.name, [...(byQueue.get(item.name) ?? []), toInsert(item, now)]);
        }
      }
      for (const [name, jobs] of byQueue) await boss.insert(name, jobs, { db });
      return { schedules, jobs: items.length - schedules };
    },
    async close() {
      await boss.stop({ graceful: false, close: true });
    },
  };
}
