import { z } from "zod";
import { defineJob } from "../define";

// Tiers `c1`…`c64`: a bot's concurrency caps how many of its batches run at once, across
// every worker process (pg-boss counts active jobs per group in the database).
const TIERS = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`c${i + 1}`, i + 1]));

/**
 * One batch of one campaign's recipients for one bot. Claims, paces, sends and settles them;
 * safe to run again (claims are atomic; a dead attempt's claims are resolved first).
 */
export const sendCampaignBatch = defineJob({
  name: "campaign.send",
  options: {
    retryLimit: 10,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 120,
    // A killed worker stops beating; the job is retried within the supervise interval.
    heartbeatSeconds: 10,
    expireInSeconds: 3600,
    notify: true,
  },
  schema: z.object({
    workspaceId: z.uuid(),
    campaignId: z.uuid(),
    botId: z.uuid(),
    batch: z.number().int().min(0),
    concurrency: z.number().int().min(1).max(64),
  }),
  send: ({ botId, concurrency }) => ({ group: { id: botId, tier: `c${concurrency}` } }),
  work: {
    localConcurrency: 4,
    drain: true,
    pollingIntervalSeconds: 0.5,
    notifyPollingIntervalSeconds: 0.5,
    groupConcurrency: { default: 4, tiers: TIERS },
  },
  async handle({ data, id, retryCount, signal }) {
    const { runSendBatch } = await import("@/modules/campaigns/send-batch");
    return runSendBatch({ ...data, jobId: id, retryCount, signal });
  },
});
