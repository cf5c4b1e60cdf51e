import { cleanupAuthSessions } from "./auth/cleanup-sessions.handler";
import { importContacts } from "./contacts/import.handler";
import type { JobDefinition } from "./define";

/** Every job handler the workers run. Queue names and options live in queues.ts (created at start, in every process). */
export const JOBS: readonly JobDefinition<never>[] = [
  cleanupAuthSessions as JobDefinition<never>,
  importContacts as JobDefinition<never>,
];
