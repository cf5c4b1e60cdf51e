import { z } from "zod";
import { defineJob } from "../define";

/**
 * Every 15 minutes: uploaded CSV files are personal data. An import deletes its own file as it
 * ends; this sweeps up uploads never started within IMPORT_UPLOAD_RETENTION_HOURS (deleted)
 * and any file an ended import left behind after a crash. Deleted contacts kept for their
 * Undo go too, once past TRASH_RETENTION_MINUTES.
 */
export const purgeImportUploads = defineJob({
  name: "maintenance.purge-import-uploads",
  options: { retryLimit: 2, expireInSeconds: 600 },
  schema: z.object({}).passthrough(),
  cron: { expression: "*/15 * * * *" },
  async handle() {
    const { env } = await import("@/env");
    const { purgeImportUploads } = await import("@/modules/contacts/imports.service");
    const { purgeContactTrash } = await import("@/modules/contacts/contacts-undo.service");
    return {
      ...(await purgeImportUploads({ olderThanHours: env.IMPORT_UPLOAD_RETENTION_HOURS })),
      trashedContacts: await purgeContactTrash(),
    };
  },
});
