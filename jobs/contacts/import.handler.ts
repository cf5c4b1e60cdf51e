import { z } from "zod";
import { runImport } from "@/modules/contacts/import/pipeline";
import { defineJob } from "../define";
import { QUEUES } from "../queues";

/** Streams an uploaded CSV into contacts; see src/modules/contacts/import/pipeline.ts. */
export const importContacts = defineJob({
  queue: QUEUES.importContacts,
  schema: z.object({ workspaceId: z.uuid(), importId: z.uuid() }),
  work: { localConcurrency: 1, pollingIntervalSeconds: 1 },
  handle: (data) => runImport(data),
});
