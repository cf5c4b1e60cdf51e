import { z } from "zod";
import { defineJob } from "../define";

/**
 * Every 15 minutes: uploaded CSV files are personal data. An import deletes its own file as it
 * ends; this sweeps up uploads never started within IMPORT_UPLOAD_RETENTION_HOURS (canceled,
 * file deleted) and any file an ended import left behind after a crash.
 */
export const purgeImportUploads = defineJob({
  name: "maintenance.purge-import-uploads",
  options: { retryLimit: 2, expireInSeconds: 600 },
  schema: z.object({}).passthrough(),
  cron: { expression: "*/15 * * * *" },
  async handle() {
    const { env } = await import("@/env");
    const { purgeImportUploads } = await import("@/modules/contacts/imports.service");
    return purgeImportUploads({ olderThanHours: env.IMPORT_UPLOAD_RETENTION_HOURS });
  },
});
