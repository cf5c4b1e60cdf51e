import { z } from "zod";
import { defineJob } from "../define";

/** Streams an uploaded CSV into contacts; see src/modules/contacts/import/pipeline.ts. */
export const importContacts = defineJob({
  name: "contacts.import",
  options: {
    retryLimit: 3,
    retryDelay: 5,
    // A live worker refreshes the heartbeat every 15 s; a killed one misses it and the next
    // supervise pass (QUEUE_SUPERVISE_SECONDS / QUEUE_MONITOR_SECONDS, 60 s by default) fails
    // the job, so the retry resumes from the ledger within ~2 minutes. expireInSeconds only
    // bounds a live run: ~10× the longest import measured.
    heartbeatSeconds: 30,
    expireInSeconds: 1800,
    // A worker wakes the moment an import is queued, instead of at its next poll.
    notify: true,
  },
  schema: z.object({ workspaceId: z.uuid(), importId: z.uuid() }),
  // An import is queued once, however often it is started.
  send: ({ importId }) => ({ singletonKey: importId }),
  work: { localConcurrency: 1, pollingIntervalSeconds: 1 },
  async handle({ data, signal }) {
    const { runImport } = await import("@/modules/contacts/import/pipeline");
    await runImport({ ...data, signal });
  },
});
