import type { PgBoss } from "pg-boss";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { jobMetrics } from "@/server/http/metrics";
import { JOBS } from "./registry";

/**
 * Subscribes a handler to every queue of the registry (or only to `only`) and installs the
 * cron schedules.
 */
export async function startWorkers(
  boss: PgBoss,
  { only }: { only?: readonly string[] } = {},
): Promise<void> {
  const jobs = only ? JOBS.filter((j) => only.includes(j.queue.name)) : JOBS;
  for (const job of jobs) {
    await boss.work(
      job.queue.name,
      {
        localConcurrency: job.work?.localConcurrency ?? env.WORKER_CONCURRENCY,
        pollingIntervalSeconds: job.work?.pollingIntervalSeconds ?? 2,
      },
      async ([item]) => {
        if (!item) return;
        const started = performance.now();
        try {
          const result = await job.handle(job.schema.parse(item.data) as never);
          jobMetrics.completed.inc({ queue: job.queue.name });
          return result;
        } catch (err) {
          jobMetrics.failed.inc({ queue: job.queue.name });
          logger.error({ err, queue: job.queue.name, jobId: item.id }, "job failed");
          throw err;
        } finally {
          jobMetrics.duration.observe(
            { queue: job.queue.name },
            (performance.now() - started) / 1000,
          );
        }
      },
    );
    if (job.cron)
      await boss.schedule(job.queue.name, job.cron.expression, {}, { tz: job.cron.tz ?? "UTC" });
  }
  logger.info({ queues: jobs.map((j) => j.queue.name) }, "workers started");
}
