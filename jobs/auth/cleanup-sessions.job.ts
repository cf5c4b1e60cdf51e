import { z } from "zod";
import { defineJob } from "../define";

/** Hourly: forget provider tokens of sessions that have expired without signing out. */
export const cleanupAuthSessions = defineJob({
  name: "auth.cleanup-sessions",
  options: { retryLimit: 2, expireInSeconds: 300 },
  schema: z.object({}),
  cron: { expression: "17 * * * *" },
  async handle() {
    const { deleteExpiredSessions } = await import("@/server/auth/session-cleanup");
    return { removed: await deleteExpiredSessions() };
  },
});
