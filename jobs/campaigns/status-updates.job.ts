import { z } from "zod";
import { defineJob } from "../define";

/** Delivery/read receipts the sandbox provider reports after a delay (real providers use webhooks). */
export const applySandboxReceipts = defineJob({
  name: "campaign.sandbox-receipts",
  options: { retryLimit: 3, retryDelay: 2, expireInSeconds: 300 },
  schema: z.object({
    workspaceId: z.uuid(),
    status: z.enum(["delivered", "read"]),
    recipientIds: z.array(z.uuid()).min(1).max(1000),
  }),
  work: { localConcurrency: 1, pollingIntervalSeconds: 1 },
  async handle({ data }) {
    const { applyStatusUpdates } = await import("@/modules/campaigns/status-updates.service");
    return applyStatusUpdates({
      workspaceId: data.workspaceId,
      updates: data.recipientIds.map((recipientId) => ({ recipientId, status: data.status })),
    });
  },
});
