import { lt } from "drizzle-orm";
import { z } from "zod";
import { authSessions } from "@/server/auth/auth-session.table";
import { systemDb } from "@/server/db/client";
import { defineJob } from "../define";
import { QUEUES } from "../queues";

// Matches the next-auth session lifetime: older provider tokens can no longer be used.
const MAX_AGE_MS = 10 * 60 * 60 * 1000;

/** Hourly: forget provider tokens of sessions that have expired without signing out. */
export const cleanupAuthSessions = defineJob({
  queue: QUEUES.cleanupAuthSessions,
  schema: z.object({}).passthrough(),
  cron: { expression: "17 * * * *" },
  async handle() {
    const cutoff = new Date(Date.now() - MAX_AGE_MS);
    const removed = await systemDb()
      .delete(authSessions)
      .where(lt(authSessions.updatedAt, cutoff))
      .returning({ id: authSessions.id });
    return { removed: removed.length };
  },
});
