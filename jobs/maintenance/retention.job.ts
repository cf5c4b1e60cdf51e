import { z } from "zod";
import { defineJob } from "../define";

/**
 * Daily: audit-log rows older than AUDIT_LOG_RETENTION_DAYS (0 keeps them) and stored sessions
 * older than SESSION_RETENTION_DAYS are deleted, as the owner (audit_log is append-only for
 * the app role).
 */
export const applyRetention = defineJob({
  name: "maintenance.retention",
  options: { retryLimit: 2, expireInSeconds: 1800 },
  schema: z.object({}).passthrough(),
  cron: { expression: "35 3 * * *" },
  async handle() {
    const { env } = await import("@/env");
    const { purgeAuditLog } = await import("@/modules/audit/audit.service");
    const { deleteSessionsOlderThan } = await import("@/server/auth/session-cleanup");
    return {
      auditRows: await purgeAuditLog({ olderThanDays: env.AUDIT_LOG_RETENTION_DAYS }),
      sessions: await deleteSessionsOlderThan(env.SESSION_RETENTION_DAYS),
    };
  },
});
