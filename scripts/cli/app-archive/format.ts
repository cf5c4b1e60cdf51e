/**
 * The app archive: a logical backup that needs no pg_dump (docs/operations.md). A gzip file
 * whose content is the magic line, then records of `kind (1 byte) · length (u32 BE) · payload`:
 *
 *   H  header (JSON, below): versions, migration level, every table with its row count
 *   B  a table's data begins (JSON: its name)
 *   D  a piece of that table's `COPY … TO STDOUT` text (the rows, as PostgreSQL wrote them)
 *   E  the table's data ends (JSON: rows and the sha256 of its D payloads)
 *   Q  the pg-boss work pending at the snapshot (JSON lines: schedules, then jobs)
 *   Z  the end of the archive (JSON: how many tables); an archive without it is truncated
 *
 * The checksums can only be known once a table has been streamed, so each sits in its table's
 * E record; the header's row counts come from the same snapshot, before the data.
 */
import { z } from "zod";

export const MAGIC = "SALESTRACK-APP-ARCHIVE\n";
export const FORMAT_VERSION = 1;
export const FILE_SUFFIX = ".archive.gz";

export const RecordKind = {
  header: "H",
  tableBegin: "B",
  data: "D",
  tableEnd: "E",
  queue: "Q",
  end: "Z",
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** Both sides of the COPY use these, so text values parse the way they were written. */
export const COPY_SETTINGS = {
  client_encoding: "UTF8",
  DateStyle: "ISO",
  IntervalStyle: "postgres",
  TimeZone: "UTC",
  extra_float_digits: "3",
  bytea_output: "hex",
} as const;

const migration = z.object({ tag: z.string().nullable(), when: z.number(), hash: z.string() });

const partition = z.object({
  name: z.string(),
  /** pg_get_expr of its bound: `FOR VALUES FROM (…) TO (…)` or `DEFAULT`. */
  bound: z.string(),
  /** What the app role may do on it directly (the app's partitions: nothing). */
  appPrivileges: z.array(z.string()),
});

export const tableSchema = z.object({
  name: z.string(),
  columns: z.array(z.string()).min(1),
  rows: z.number().int().nonnegative(),
  partitions: z.array(partition),
});
export type ArchiveTable = z.infer<typeof tableSchema>;

export const headerSchema = z.object({
  formatVersion: z.number().int().positive(),
  createdAt: z.string(),
  server: z.object({ version: z.string(), versionNum: z.number().int() }),
  database: z.string(),
  settings: z.record(z.string(), z.string()),
  /** The drizzle migrations applied to the source, oldest first. */
  migrations: z.array(migration),
  /** In foreign-key order: a table comes after every table it references. */
  tables: z.array(tableSchema),
  sequences: z.array(z.object({ name: z.string(), lastValue: z.string(), isCalled: z.boolean() })),
  queue: z.object({ schedules: z.number().int(), jobs: z.number().int() }).nullable(),
});
export type ArchiveHeader = z.infer<typeof headerSchema>;

export const tableEndSchema = z.object({
  name: z.string(),
  rows: z.number().int().nonnegative(),
  sha256: z.string(),
});

export const endSchema = z.object({ tables: z.number().int().nonnegative() });

/** One line of a Q record. */
export const queueItemSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("schedule"),
    name: z.string(),
    key: z.string(),
    cron: z.string(),
    timezone: z.string().nullable(),
    data: z.unknown(),
    options: z.record(z.string(), z.unknown()).nullable(),
  }),
  z.object({
    type: z.literal("job"),
    id: z.string(),
    name: z.string(),
    data: z.unknown(),
    priority: z.number().int(),
    retryLimit: z.number().int(),
    retryDelay: z.number().int(),
    retryBackoff: z.boolean(),
    expireInSeconds: z.number().int(),
    singletonKey: z.string().nullable(),
    startAfter: z.string(),
  }),
]);
export type QueueItem = z.infer<typeof queueItemSchema>;

/** A Q record's payload: one JSON item per line. */
export function parseQueueRecord(payload: Buffer): QueueItem[] {
  return payload
    .toString("utf8")
    .split("\n")
    .map((line) => queueItemSchema.parse(JSON.parse(line)));
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `public."name"`: every app table lives in the public schema. */
export function qualified(name: string): string {
  return `public.${quoteIdent(name)}`;
}
