import { z } from "zod";
import { defineJob } from "../define";

/** A bulk action over every contact matching a filter; see contacts/bulk-runs.service.ts. */
export const bulkContactsByFilter = defineJob({
  name: "contacts.bulk",
  options: {
    retryLimit: 3,
    retryDelay: 5,
    // Each batch commits with the run's cursor: a retry goes on from the last batch done.
    heartbeatSeconds: 30,
    expireInSeconds: 1800,
    notify: true,
  },
  schema: z.object({ workspaceId: z.uuid(), runId: z.uuid() }),
  send: ({ runId }) => ({ singletonKey: runId }),
  work: { localConcurrency: 1, pollingIntervalSeconds: 1 },
  async handle({ data, signal, retryCount }) {
    const { runBulkRun } = await import("@/modules/contacts/bulk-runs.service");
    await runBulkRun({ ...data, signal, lastAttempt: retryCount >= 3 });
  },
});
