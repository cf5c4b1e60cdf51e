import { z } from "zod";
import { defineJob } from "../define";

/** Builds a launched campaign's recipients in SQL and queues its send batches. */
export const materializeCampaign = defineJob({
  name: "campaign.materialize",
  options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 900, notify: true },
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid() }),
  work: { localConcurrency: 1, pollingIntervalSeconds: 1 },
  async handle({ data }) {
    const { materialize } = await import("@/modules/campaigns/campaign-launch.service");
    return materialize(data);
  },
});
