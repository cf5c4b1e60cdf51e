import type { ImportCounts } from "./contacts.table";

/** An import's counters before anything has been read: the server's start, the UI's fallback. */
export const EMPTY_COUNTS: Readonly<ImportCounts> = {
  total: 0,
  processed: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  duplicates: 0,
  invalid: 0,
  bytesRead: 0,
};
