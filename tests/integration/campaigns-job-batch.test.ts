/**
 * A worker that fetches `campaign.send` jobs in batches runs every job of a batch: a campaign
 * whose recipients span six send batches (three bots, 501 recipients each, 500 per batch) is
 * launched and materialized for real, its batches are run by `workJob` with `batchSize: 5`,
 * and every recipient of every batch ends `sent`, each job completed once with its own
 * outcome, and the campaign completes.
 *
 * The batches run on a queue of this file's own, with the real contract (same options,
 * schema, group tiers and handler) under another name: on the shared `campaign.send` queue a
 * worker of another test file could take some of them, one at a time, and the batch under
 * test would never be fetched. Until then the bots are paused, so the jobs the launch queued
 * on the shared queue end without sending whoever runs them, and are cleared.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bots } from "@/modules/bots/bots.table";
import { materialize } from "@/modules/campaigns/campaign-launch.service";
import { campaignRecipients } from "@/modules/campaigns/campaigns.table";
import { closeDatabase, ownerPool, systemDb } from "@/server/db/client";
import { ensureQueue, getBoss, stopBoss } from "@/server/queue/boss";
import { materializeCampaign } from "@jobs/campaigns/materialize.job";
import { sendCampaignBatch } from "@jobs/campaigns/send.job";
import { enqueueMany } from "@jobs/enqueue";
import { workJob } from "@jobs/worker";
import {
  callerFor,
  createSandboxBot,
  draftOf,
  seedAudience,
  waitForCampaign,
  waitUntil,
} from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";

const BOTS = 3;
const PER_BOT = 501; // one full batch of 500 and one of 1 per bot
const BATCH_SIZE = 5; // jobs per fetch: the first fetch takes five of the six

describe("campaign.send: a fetched batch of jobs", () => {
  let boss: PgBoss;
  let t: Tenant;
  const queue = `${sendCampaignBatch.name}.batch-test-${randomUUID()}`;
  const job = {
    ...sendCampaignBatch,
    name: queue,
    // One fetch loop, so the jobs queued before the worker starts come in one batch.
    work: { ...sendCampaignBatch.work, batchSize: BATCH_SIZE, localConcurrency: 1 },
  };
  let workerId: string | null = null;

  beforeAll(async () => {
    boss = await getBoss();
    t = await freshTenant();
  });

  afterAll(async () => {
    if (workerId) await boss.offWork(queue, { id: workerId }).catch(() => undefined);
    await boss.deleteQueue(queue).catch(() => undefined);
    await stopBoss(5_000);
    await closeDatabase();
  });

  /** The launch's jobs on the shared queues: materialize run here, send jobs cleared. */
  async function materializeHere(campaignId: string) {
    const pool = ownerPool();
    const claimed = await pool.query(
      `delete from pgboss.job where name = $1 and data->>'campaignId' = $2 and state in ('created', 'retry')`,
      [materializeCampaign.name, campaignId],
    );
    if ((claimed.rowCount ?? 0) > 0) await materialize({ workspaceId: t.workspaceId, campaignId });
    await waitUntil(
      "the shared queue to hold no send job of the campaign",
      async () => {
        await pool.query(
          `delete from pgboss.job where name = $1 and data->>'campaignId' = $2 and state in ('created', 'retry')`,
          [sendCampaignBatch.name, campaignId],
        );
        const left = await pool.query(
          `select 1 from pgboss.job where name = any($1) and data->>'campaignId' = $2 and state in ('created', 'retry', 'active')`,
          [[sendCampaignBatch.name, materializeCampaign.name], campaignId],
        );
        const built = await pool.query(
          `select 1 from campaign_recipient where workspace_id = $1 and campaign_id = $2 limit 1`,
          [t.workspaceId, campaignId],
        );
        return left.rowCount === 0 && built.rowCount === 1;
      },
      20_000,
    );
  }

  it("runs every job of the batch: all recipients sent, each job completed once", async () => {
    const alice = callerFor(t);
    const botIds: string[] = [];
    const concurrency = new Map<string, number>();
    for (let i = 0; i < BOTS; i++) {
      const bot = await createSandboxBot(t, { name: `Lote ${i}` });
      await alice.bots.pause({ id: bot.id });
      botIds.push(bot.id);
      concurrency.set(bot.id, bot.concurrency);
    }
    const { groupId } = await seedAudience(t.workspaceId, BOTS * PER_BOT);
    const { id: campaignId } = await alice.campaigns.create(draftOf("Por lotes", groupId, botIds));
    await alice.campaigns.launch({ id: campaignId });
    await materializeHere(campaignId);

    // The send batches materialize planned: three bots × two batches.
    const planned = await systemDb()
      .select({
        batch: campaignRecipients.batch,
        botId: campaignRecipients.botId,
        n: sql<number>`count(*)::int`,
      })
      .from(campaignRecipients)
      .where(
        and(
          eq(campaignRecipients.workspaceId, t.workspaceId),
          eq(campaignRecipients.campaignId, campaignId),
        ),
      )
      .groupBy(campaignRecipients.batch, campaignRecipients.botId)
      .orderBy(campaignRecipients.batch);
    expect(planned.map((p) => p.n).sort((x, y) => y - x)).toEqual([500, 500, 500, 1, 1, 1]);
    expect(new Set(planned.map((p) => p.botId))).toEqual(new Set(botIds));

    // Bots back on without bots.resume, which would wake the batches on the shared queue.
    await systemDb().update(bots).set({ status: "active" }).where(inArray(bots.id, botIds));

    await ensureQueue(boss, job);
    const ids = await enqueueMany(
      job,
      planned.map((p) => ({
        workspaceId: t.workspaceId,
        campaignId,
        botId: p.botId!,
        batch: p.batch,
        concurrency: concurrency.get(p.botId!)!,
      })),
    );
    expect(ids).toHaveLength(planned.length);
    workerId = await workJob(boss, job);

    const view = await waitForCampaign(t, campaignId, ["completed", "paused", "failed"], 30_000);
    expect(view).toMatchObject({
      status: "completed",
      counts: { total: BOTS * PER_BOT, sent: BOTS * PER_BOT, pending: 0, failed: 0 },
    });

    // Every recipient of every batch was sent, once.
    const byBatch = await systemDb()
      .select({
        batch: campaignRecipients.batch,
        status: campaignRecipients.status,
        attempts: campaignRecipients.attempts,
        n: sql<number>`count(*)::int`,
      })
      .from(campaignRecipients)
      .where(
        and(
          eq(campaignRecipients.workspaceId, t.workspaceId),
          eq(campaignRecipients.campaignId, campaignId),
        ),
      )
      .groupBy(campaignRecipients.batch, campaignRecipients.status, campaignRecipients.attempts)
      .orderBy(campaignRecipients.batch);
    expect(byBatch).toEqual(
      planned.map((p) => ({ batch: p.batch, status: "sent", attempts: 1, n: p.n })),
    );

    // pg-boss: each job completed on its first attempt, reporting its own batch's sends.
    const jobs = await waitUntil("the jobs to settle", async () => {
      const found = await boss.findJobs<{ batch: number }>(queue, {});
      return found.length === ids.length && found.every((j) => j.state === "completed") && found;
    });
    expect(jobs.map((j) => j.id).sort()).toEqual([...ids].sort());
    const sentByBatch = new Map(planned.map((p) => [p.batch, p.n]));
    for (const j of jobs) {
      expect(j.retryCount, `batch ${j.data.batch}`).toBe(0);
      expect(j.output, `batch ${j.data.batch}`).toEqual({ sent: sentByBatch.get(j.data.batch) });
    }
    // A fetch marks its jobs started in one statement: the first took a full batch of five.
    const perFetch = new Map<number, number>();
    for (const j of jobs) {
      const at = new Date(j.startedOn).getTime();
      perFetch.set(at, (perFetch.get(at) ?? 0) + 1);
    }
    expect(Math.max(...perFetch.values())).toBe(BATCH_SIZE);
  }, 40_000);
});
