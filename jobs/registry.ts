import { cleanupAuthSessions } from "./auth/cleanup-sessions.handler";
import { importContacts } from "./contacts/import.handler";
import type { JobDefinition } from "./define";

/** Every job the app knows. Queues are created from this list at start, in every process. */
export const JOBS: readonly JobDefinition<never>[] = [
  cleanupAuthSessions as JobDefinition<never>,
  importContacts as JobDefinition<never>,
];

export function findJob(name: string): JobDefinition<never> | undefined {
  return JOBS.find((j) => j.queue.name === name);
}
