import { z } from "zod";
import { defineJob } from "../define";

/**
 * Makes pg-boss's schedules match the `schedule` rows again: one per enabled row, none
 * without one. Runs at every worker start (worker.ts) and every 15 minutes, for drift a
 * crash between a row's commit and its pg-boss call left behind.
 */
export const reconcileSchedules = defineJob({
  name: "schedules.reconcile",
  options: { retryLimit: 1, expireInSeconds: 300 },
  schema: z.object({}).passthrough(),
  send: { singletonKey: "schedules.reconcile" },
  cron: { expression: "*/15 * * * *" },
  async handle() {
    const { reconcileBossSchedules } = await import("@/modules/schedules/schedule-sync");
    return reconcileBossSchedules();
  },
});
