import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "@/server/db/columns";
import { users, workspaces } from "@/modules/workspaces/workspaces.table";

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });
// Byte order ("C"): E.164 phones and folded names compare as plain strings, so prefix search
// is a range scan (`>= '+5959' and < '+595:'`) on an ordinary btree.
const e164 = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

export const contactSource = pgEnum("contact_source", ["csv", "manual", "api"]);
export const importStatus = pgEnum("contact_import_status", [
  "uploaded",
  "queued",
  "running",
  "completed",
  "failed",
  "canceled",
]);

const workspaceRef = () =>
  uuid()
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });
/**
 * A reference kept by statement-level triggers instead of a per-row FOREIGN KEY (hot bulk
 * paths; see docs/architecture.md "Set-based references"): checked once per statement,
 * cascaded on delete, immutable after insert. Declared in drizzle/0006 with app_set_fk().
 */
const setRef = () => uuid().notNull();

/** A person the workspace may message. Phone is E.164 and unique per workspace. */
export const contacts = pgTable(
  "contact",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: setRef(),
    phone: e164().notNull(),
    nombre: text(),
    sustantivo: text(),
    /** st_fold(nombre): accent/case-folded for prefix search, kept by Postgres itself. */
    nameKey: e164().generatedAlwaysAs(sql`st_fold(nombre)`),
    attributes: jsonb().$type<Record<string, string>>().notNull().default({}),
    source: contactSource().notNull(),
    optInSource: text(),
    optInAt: timestamp({ withTimezone: true }),
    optedOutAt: timestamp({ withTimezone: true }),
    optOutReason: text(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("contact_workspace_phone_key").on(t.workspaceId, t.phone),
    // Prefix search on the folded name. A plain column (not an expression) matters: under
    // row-level security only leakproof operators (=, <, >=) can use an index.
    index("contact_name_key_idx").on(t.workspaceId, t.nameKey),
    index("contact_workspace_created_idx").on(
      t.workspaceId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Source filter with the default newest-first order; new rows land at the index's edge.
    index("contact_workspace_source_created_idx").on(
      t.workspaceId,
      t.source,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("contact_opted_out_idx")
      .on(t.workspaceId, t.optedOutAt)
      .where(sql`${t.optedOutAt} is not null`),
  ],
);

export const contactGroups = pgTable(
  "contact_group",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    name: text().notNull(),
    description: text(),
    ...timestamps,
  },
  (t) => [uniqueIndex("contact_group_name_key").on(t.workspaceId, sql`lower(${t.name})`)],
);

export const contactGroupMembers = pgTable(
  "contact_group_member",
  {
    // No reference here: group and contact already pin the workspace (and cascade).
    workspaceId: uuid().notNull(),
    groupId: setRef(),
    contactId: setRef(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.contactId] }),
    index("contact_group_member_contact_idx").on(t.contactId),
  ],
);

export type ImportCounts = {
  total: number;
  processed: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  invalid: number;
  /** Bytes of the file read so far (rows drive the progress once the total is known). */
  bytesRead?: number;
  /** Field changes made on existing contacts, and how many the change list keeps. */
  changes?: number;
  changesListed?: number;
};

/** One upload and its processing: what was detected, chosen, and what happened. */
export const contactImports = pgTable(
  "contact_import",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    fileName: text().notNull(),
    fileSize: integer().notNull(),
    status: importStatus().notNull().default("uploaded"),
    dryRun: boolean().notNull().default(false),
    detected: jsonb().$type<Record<string, unknown>>(),
    options: jsonb().$type<Record<string, unknown>>(),
    counts: jsonb().$type<ImportCounts>(),
    errorMessage: text(),
    cancelRequestedAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index("contact_import_workspace_created_idx").on(
      t.workspaceId,
      t.createdAt.desc().nullsFirst(),
    ),
  ],
);

/** The uploaded file, in 1 MiB chunks, so it is streamed in and out and never held whole. */
export const contactImportChunks = pgTable(
  "contact_import_chunk",
  {
    workspaceId: workspaceRef(),
    importId: uuid()
      .notNull()
      .references(() => contactImports.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);

export const contactImportErrors = pgTable(
  "contact_import_error",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    workspaceId: workspaceRef(),
    importId: uuid()
      .notNull()
      .references(() => contactImports.id, { onDelete: "cascade" }),
    rowNumber: integer().notNull(),
    raw: text().notNull(),
    reason: text().notNull(),
  },
  (t) => [index("contact_import_error_import_idx").on(t.importId, t.rowNumber)],
);

/**
 * The import's ledger: one row per committed part of a batch (a batch is written as parts on
 * parallel connections), committed with that part. A resumed import skips what is here;
 * its counts are the sum of these.
 */
export const contactImportParts = pgTable(
  "contact_import_part",
  {
    workspaceId: workspaceRef(),
    importId: uuid()
      .notNull()
      .references(() => contactImports.id, { onDelete: "cascade" }),
    batch: integer().notNull(),
    part: smallint().notNull(),
    counts: jsonb().$type<ImportCounts>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.batch, t.part] })],
);

/**
 * What an import changed on contacts that already existed: one row per field (`nombre`,
 * `sustantivo`, `attributes.<key>`) with the value before and after. Bounded per import
 * (IMPORT_CHANGES_MAX in import/change-log.ts); deleted with the import, and by the upload
 * retention job once the import is older than the change-list retention.
 */
export const contactImportChanges = pgTable(
  "contact_import_change",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    workspaceId: workspaceRef(),
    importId: uuid()
      .notNull()
      .references(() => contactImports.id, { onDelete: "cascade" }),
    contactId: uuid().notNull(),
    phone: text().notNull(),
    field: text().notNull(),
    before: text(),
    after: text(),
  },
  (t) => [
    index("contact_import_change_import_idx").on(t.importId, t.id),
    // A contact's history lists the imports that changed it.
    index("contact_import_change_contact_idx").on(t.workspaceId, t.contactId, t.id),
  ],
);

/**
 * A deleted contact for the few minutes its Undo is offered: the row as it was and its groups.
 * Restoring puts both back with the same id; the retention job purges what is older.
 */
export const contactTrash = pgTable(
  "contact_trash",
  {
    workspaceId: workspaceRef(),
    contactId: uuid().notNull(),
    contact: jsonb().$type<Record<string, unknown>>().notNull(),
    groupIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'`),
    deletedBy: uuid(),
    deletedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId] }),
    index("contact_trash_deleted_at_idx").on(t.deletedAt),
  ],
);

/**
 * Search tokens (drizzle/0012): each word of st_fold(nombre), and the phone's digits reversed
 * behind '+'. Kept by statement-level triggers on contact; searched by btree ranges.
 */
export const contactSearchTokens = pgTable(
  "contact_search_token",
  {
    workspaceId: uuid().notNull(),
    token: e164().notNull(),
    contactId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ name: "contact_search_token_pk", columns: [t.workspaceId, t.token, t.contactId] }),
  ],
);

/** Contacts per workspace as appended deltas (triggers on contact), folded when read. */
export const contactCountDeltas = pgTable(
  "contact_count_delta",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    workspaceId: uuid().notNull(),
    delta: bigint({ mode: "number" }).notNull(),
  },
  (t) => [index("contact_count_delta_workspace_idx").on(t.workspaceId)],
);

export const BULK_RUN_STATUSES = ["queued", "running", "completed", "failed"] as const;

/** A bulk action over every contact matching a filter, run in batches by the contacts.bulk job. */
export const contactBulkRuns = pgTable(
  "contact_bulk_run",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    filters: jsonb().$type<Record<string, unknown>>().notNull(),
    params: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text({ enum: BULK_RUN_STATUSES }).notNull().default("queued"),
    /** The count shown when it was started (exact or estimated). */
    expected: integer().notNull(),
    processed: integer().notNull().default(0),
    affected: integer().notNull().default(0),
    /** Last contact id done (keyset): a retried job goes on from there. */
    cursor: uuid(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("contact_bulk_run_workspace_created_idx").on(
      t.workspaceId,
      t.createdAt.desc().nullsFirst(),
    ),
  ],
);

export type Contact = typeof contacts.$inferSelect;
export type ContactGroup = typeof contactGroups.$inferSelect;
export type ContactImport = typeof contactImports.$inferSelect;
export type ContactSource = (typeof contactSource.enumValues)[number];
export type ContactBulkRun = typeof contactBulkRuns.$inferSelect;
