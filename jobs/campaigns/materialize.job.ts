import { z } from "zod";
import { defineJob } from "../define";

/** Builds a launched campaign's recipients in SQL and queues its send batches. */
export const materializeCampaign = defineJob({
  name: "campaign.materialize",
  options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 900, notify: true },
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid() }),
  // NOTIFY only announces jobs due now; an "at" launch (startAfter) waits for the poll, which
  // pg-boss stretches to 30 s on notify queues unless told otherwise.
  work: { localConcurrency: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
  async handle({ data }) {
    const { materialize } = await import("@/modules/campaigns/campaign-launch.service");
    return materialize(data);
  },
});
