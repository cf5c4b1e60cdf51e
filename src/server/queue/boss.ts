import { PgBoss } from "pg-boss";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import type { AnyJobDefinition } from "@jobs/define";
import { JOBS } from "@jobs/registry";

type Holder = { __salestrackBoss?: Promise<PgBoss> };
const holder = globalThis as Holder;

/**
 * The process's single pg-boss instance, started once. Every process creates or updates the
 * queue of every contract in jobs/registry.ts, so web can enqueue before any worker has run.
 */
export function getBoss(): Promise<PgBoss> {
  holder.__salestrackBoss ??= (async () => {
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
    const boss = new PgBoss({
      connectionString: env.DATABASE_URL,
      application_name: "salestrack-queue",
      max: 4,
      // Wakes workers of `notify` queues as soon as a job is sent (polling stays as a floor).
      useListenNotify: true,
      ...(env.QUEUE_SUPERVISE_SECONDS && { superviseIntervalSeconds: env.QUEUE_SUPERVISE_SECONDS }),
      ...(env.QUEUE_MONITOR_SECONDS && { monitorIntervalSeconds: env.QUEUE_MONITOR_SECONDS }),
    });
    boss.on("error", (err) => logger.error({ err }, "pg-boss error"));
    await boss.start();
    for (const job of JOBS) await ensureQueue(boss, job);
    return boss;
  })().catch((err) => {
    holder.__salestrackBoss = undefined;
    throw err;
  });
  return holder.__salestrackBoss;
}

/**
 * Creates the contract's queue, or brings an existing one's options up to date — all but the
 * policy and partitioning, which only a new queue can take. A heartbeat the contract no
 * longer sets is switched off.
 */
export async function ensureQueue(boss: PgBoss, job: AnyJobDefinition): Promise<void> {
  const { policy: _policy, partition: _partition, ...current } = job.options;
  await boss.createQueue(job.name, job.options);
  await boss.updateQueue(job.name, { heartbeatSeconds: null, ...current });
}

export function bossStarted(): boolean {
  return holder.__salestrackBoss !== undefined;
}

/** Graceful stop: in-flight jobs get `timeoutMs` to finish, then are released for a retry. */
export async function stopBoss(timeoutMs = 20_000): Promise<void> {
  const pending = holder.__salestrackBoss;
  holder.__salestrackBoss = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => null);
  await boss?.stop({ graceful: true, close: true, timeout: timeoutMs });
}
