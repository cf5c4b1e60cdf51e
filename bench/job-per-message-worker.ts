/**
 * Baseline worker of `npm run bench -- dispatch`: pg-boss with one job per message, tuned as
 * DESIGN §8 describes (batches of 500, 4 local workers, burst while batches come back full).
 * Each job's handler only moves its recipient `queued → sent` (one UPDATE on the owner pool,
 * autocommit: cheaper than the pipeline's RLS transactions); every job of a fetched batch runs
 * concurrently and is settled on its own, as jobs/worker.ts does.
 *   node --import tsx bench/job-per-message-worker.ts <queue>      (prints "ready")
 */
import pg from "pg";

type Payload = { workspaceId: string; campaignId: string; id: string };

async function main() {
  const queue = process.argv[2];
  if (!queue) throw new Error("usage: job-per-message-worker.ts <queue>");
  const { getBoss, stopBoss } = await import("../src/server/queue/boss");
  const boss = await getBoss();
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
  await boss.work<Payload>(
    queue,
    {
      batchSize: 500,
      localConcurrency: 4,
      pollingIntervalSeconds: 0.5,
      burstWhenBatchFull: true,
      perJobResults: true,
    },
    (jobs) =>
      Promise.all(
        jobs.map(async (job) => {
          const { workspaceId, campaignId, id } = job.data;
          await pool.query(
            `update campaign_recipient set status = 'sent', attempts = attempts + 1,
                    sent_at = now(), updated_at = now()
              where workspace_id = $1 and campaign_id = $2 and id = $3 and status = 'queued'`,
            [workspaceId, campaignId, id],
          );
          return { id: job.id, status: "completed" as const };
        }),
      ),
  );
  console.log("ready");
  process.on("SIGTERM", () => {
    void stopBoss(5_000)
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
