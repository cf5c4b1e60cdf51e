import { z } from "zod";
import { defineJob } from "../define";

/**
 * Every minute: attempts whose lease expired (the agent stopped heartbeating) or whose
 * timeout passed end — back to PENDING after a backoff with jitter, or TIMED_OUT on the last
 * attempt. Pulls also sweep their own bot first, so a live agent never waits for this.
 */
export const sweepTaskLeases = defineJob({
  name: "tasks.lease-sweep",
  options: { retryLimit: 1, expireInSeconds: 120 },
  schema: z.object({}).passthrough(),
  send: { singletonKey: "tasks.lease-sweep" },
  cron: { expression: "* * * * *" },
  async handle() {
    const { sweepExpiredLeases } = await import("@/modules/tasks/lease.service");
    return sweepExpiredLeases();
  },
});
