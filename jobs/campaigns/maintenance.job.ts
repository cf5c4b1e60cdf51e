import { z } from "zod";
import { defineJob } from "../define";

/**
 * Every 5 minutes: resolve recipients a lost send job left `sending` for too long, and keep
 * message_event's monthly partitions three months ahead.
 */
export const campaignMaintenance = defineJob({
  name: "campaign.maintenance",
  options: { retryLimit: 1, expireInSeconds: 600 },
  schema: z.object({}).passthrough(),
  cron: { expression: "*/5 * * * *" },
  async handle() {
    const { runCampaignMaintenance } = await import("@/modules/campaigns/maintenance");
    return runCampaignMaintenance();
  },
});
