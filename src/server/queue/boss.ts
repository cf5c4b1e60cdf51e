import { PgBoss } from "pg-boss";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { QUEUES } from "@jobs/queues";

type Holder = { __salestrackBoss?: Promise<PgBoss> };
const holder = globalThis as Holder;

/**
 * The process's single pg-boss instance, started once. Every process creates the queues
 * from the registry (idempotent), so web can enqueue before any worker has run.
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
    });
    boss.on("error", (err) => logger.error({ err }, "pg-boss error"));
    await boss.start();
    for (const q of Object.values(QUEUES)) {
      // createQueue leaves an existing queue as it was; updateQueue brings its options current.
      await boss.createQueue(q.name, q.options);
      await boss.updateQueue(q.name, q.options);
    }
    return boss;
  })().catch((err) => {
    holder.__salestrackBoss = undefined;
    throw err;
  });
  return holder.__salestrackBoss;
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
