import type { Queue } from "pg-boss";

/**
 * Every queue's name and options, with no handler code: the queue layer and any service
 * that enqueues import this (handlers import services, so the reverse would be a cycle).
 */
export const QUEUES = {
  cleanupAuthSessions: {
    name: "auth.cleanup-sessions",
    options: { retryLimit: 2, expireInSeconds: 300 },
  },
  // `notify`: a worker wakes the moment an import is queued, instead of at its next poll.
  importContacts: {
    name: "contacts.import",
    options: { retryLimit: 3, retryDelay: 5, expireInSeconds: 3600, notify: true },
  },
} as const satisfies Record<string, { name: string; options: Omit<Queue, "name"> }>;
