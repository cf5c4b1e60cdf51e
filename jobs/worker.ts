import type { Job, JobResult, PgBoss } from "pg-boss";
import { env } from "@/env";
import { logger, safeError } from "@/lib/logger";
import { jobMetrics } from "@/server/http/metrics";
import type { AnyJobDefinition } from "./define";
import { JOBS } from "./registry";
import { fireSchedule } from "./schedules/fire.job";

/**
 * Runs one job of a batch and reports its own outcome: a payload the schema refuses can never
 * succeed, so it goes straight to `deadletter` (no retries); a handler error fails this job
 * only (retried per the queue's options).
 */
async function runOne(job: AnyJobDefinition, item: Job<unknown>): Promise<JobResult> {
  const labels = { queue: job.name };
  const started = performance.now();
  try {
    const parsed = job.schema.safeParse(item.data);
    if (!parsed.success) {
      jobMetrics.failed.inc(labels);
      logger.error(
        { queue: job.name, jobId: item.id, issues: parsed.error.issues },
        "job payload refused",
      );
      return { id: item.id, status: "deadletter", output: { message: parsed.error.message } };
    }
    const output = await job.handle({
      id: item.id,
      retryCount: item.retryCount,
      signal: item.signal,
      data: parsed.data,
    });
    jobMetrics.completed.inc(labels);
    return { id: item.id, status: "completed", output };
  } catch (err) {
    jobMetrics.failed.inc(labels);
    logger.error(
      { err, queue: job.name, jobId: item.id, retryCount: item.retryCount },
      "job failed",
    );
    // pg-boss keeps the output with the job for days: the same scrubbed form as the log.
    return { id: item.id, status: "failed", output: safeError(err) };
  } finally {
    jobMetrics.duration.observe(labels, (performance.now() - started) / 1000);
  }
}

/**
 * A `drain` queue's workers of one `work()` call that are running a job (this one included)
 * fetch again as soon as it ends: pg-boss skips the poll delay of a worker notified meanwhile.
 */
function fetchAgainAfterJob(boss: PgBoss, workId: string) {
  for (const w of boss.getWipData())
    if (w.workId === workId && w.count > 0) boss.notifyWorker(w.id);
}

/**
 * Subscribes a worker to one contract's queue and installs its cron schedule. Every job of a
 * fetched batch runs, concurrently, and is settled on its own (`perJobResults`): one failure
 * never fails or completes its neighbours. Resolves with the worker id (for `offWork`).
 */
export async function workJob(boss: PgBoss, job: AnyJobDefinition): Promise<string> {
  const { drain = false, ...work } = job.work ?? {};
  let workId: string | null = null;
  const workerId = await boss.work(
    job.name,
    {
      localConcurrency: env.WORKER_CONCURRENCY,
      pollingIntervalSeconds: 2,
      ...work,
      perJobResults: true,
    },
    async (batch) => {
      const results = await Promise.all(batch.map((item) => runOne(job, item)));
      if (drain && workId) fetchAgainAfterJob(boss, workId);
      return results;
    },
  );
  workId = workerId;
  if (job.cron) {
    const { expression, tz = "UTC", data = {} } = job.cron;
    job.schema.parse(data); // a bad cron payload fails the start, not every run
    await boss.schedule(job.name, expression, data as object, { tz });
  }
  return workerId;
}

/** Workers for every contract of the registry, or only for the queues named in `only`. */
export async function startWorkers(
  boss: PgBoss,
  { only }: { only?: readonly string[] } = {},
): Promise<void> {
  const jobs = only ? JOBS.filter((j) => only.includes(j.name)) : JOBS;
  for (const job of jobs) await workJob(boss, job);
  logger.info({ queues: jobs.map((j) => j.name) }, "workers started");
  if (jobs.includes(fireSchedule)) await reconcileSchedulesAtStart();
}

/** pg-boss's schedules brought back in line with the `schedule` rows before any firing. */
async function reconcileSchedulesAtStart(): Promise<void> {
  try {
    const { reconcileBossSchedules } = await import("@/modules/schedules/schedule-sync");
    await reconcileBossSchedules();
  } catch (err) {
    // The `schedules.reconcile` cron tries again; a start never fails on it.
    logger.error({ err }, "schedule reconcile at start failed");
  }
}
