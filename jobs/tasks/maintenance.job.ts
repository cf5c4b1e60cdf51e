import { z } from "zod";
import { defineJob } from "../define";

/**
 * Daily: monthly partitions of task_event and log kept three months ahead, log months past
 * LOG_RETENTION_DAYS dropped whole, and bot-event ids past every replay window forgotten.
 */
export const tasksMaintenance = defineJob({
  name: "tasks.maintenance",
  options: { retryLimit: 2, expireInSeconds: 900 },
  schema: z.object({}).passthrough(),
  cron: { expression: "20 3 * * *" },
  async handle() {
    const { env } = await import("@/env");
    const { runTasksMaintenance } = await import("@/modules/tasks/maintenance");
    return runTasksMaintenance({ logRetentionDays: env.LOG_RETENTION_DAYS });
  },
});
