import { z } from "zod";
import { IMPORT_JOB } from "@/modules/contacts/imports.service";
import { runImport } from "@/modules/contacts/import/pipeline";
import { defineJob } from "../define";

/** Streams an uploaded CSV into contacts; see src/modules/contacts/import/pipeline.ts. */
export const importContacts = defineJob({
  name: IMPORT_JOB,
  schema: z.object({ workspaceId: z.uuid(), importId: z.uuid() }),
  queue: { retryLimit: 3, retryDelay: 5, expireInSeconds: 3600 },
  work: { localConcurrency: 1, pollingIntervalSeconds: 1 },
  handle: (data) => runImport(data),
});
