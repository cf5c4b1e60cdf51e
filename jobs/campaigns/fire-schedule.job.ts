import { z } from "zod";
import { defineJob } from "../define";

/**
 * A recurring campaign's cron firing: creates and launches one run of it, once per occurrence
 * (the occurrence is claimed on the definition with the run, so a retry creates nothing).
 */
export const fireCampaignSchedule = defineJob({
  name: "campaign.fire",
  options: { retryLimit: 2, retryDelay: 10, expireInSeconds: 300 },
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid() }),
  work: { localConcurrency: 1, pollingIntervalSeconds: 5 },
  async handle({ data, id }) {
    const { fireRecurringCampaign } = await import("@/modules/campaigns/campaign-launch.service");
    return fireRecurringCampaign({ ...data, firingId: id });
  },
});
