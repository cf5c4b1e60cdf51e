import { z } from "zod";
import { attributeKey } from "./contacts.schema";

export const columnTarget = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("field"),
    field: z.enum(["phone", "nombre", "sustantivo", "groups"]),
  }),
  // As the contact form takes them: a key the form refuses could never be edited again.
  z.object({ kind: z.literal("attribute"), key: attributeKey }),
  z.object({ kind: z.literal("ignore") }),
]);

export const IMPORT_MODES = ["upsert", "insertOnly", "fillEmpty"] as const;
export const importMode = z.enum(IMPORT_MODES);

export const importOptions = z.object({
  /** One target per column, in file order; defaults to the detected mapping. */
  mapping: z.array(columnTarget).max(200).optional(),
  /** Whether the first row is a header row; defaults to what was detected. */
  hasHeader: z.boolean().optional(),
  dryRun: z.boolean().default(false),
  /** What the import may change on existing contacts; "upsert" when not given. */
  mode: importMode.optional(),
});
export type ImportOptions = z.infer<typeof importOptions>;

export const importCounts = z.object({
  total: z.number().int(),
  processed: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  duplicates: z.number().int(),
  invalid: z.number().int(),
  bytesRead: z.number().int().optional(),
  changes: z.number().int().optional(),
  changesListed: z.number().int().optional(),
});

export const importDetection = z.object({
  encoding: z.string(),
  delimiter: z.string(),
  hasHeader: z.boolean(),
  headers: z.array(z.string()),
  mapping: z.array(columnTarget),
  sample: z.array(z.array(z.string())),
  /** Non-blank records in the whole file, header included (counted as it was stored). */
  records: z.number().int().optional(),
});
export type ImportDetection = z.infer<typeof importDetection>;

export const importView = z.object({
  id: z.uuid(),
  fileName: z.string(),
  fileSize: z.number().int(),
  status: z.enum(["uploaded", "queued", "running", "completed", "failed", "canceled"]),
  dryRun: z.boolean(),
  detected: importDetection.nullable(),
  counts: importCounts.nullable(),
  /** Why it failed, as an error code (`errors.*` in messages/); `errorMessage` in English. */
  error: z
    .object({
      key: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    })
    .nullable(),
  errorMessage: z.string().nullable(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  createdAt: z.date(),
  /** Rows per second while running, and seconds left at that rate. */
  rate: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  /** How far a running import is, 0–1 (rows done out of the file's rows when known). */
  fraction: z.number().nullable(),
  mode: importMode,
  /** A dry run run for real since: that import; a real run started from a dry run: it. */
  realRunId: z.uuid().nullable(),
  dryRunId: z.uuid().nullable(),
  /** A completed dry run whose stored file can still be imported for real. */
  canRunForReal: z.boolean(),
});
export type ImportView = z.infer<typeof importView>;

export const importIdInput = z.object({ importId: z.uuid() });

export const IMPORT_ENCODINGS = ["utf8", "windows1252", "utf16le", "utf16be"] as const;
export const IMPORT_DELIMITERS = [",", ";", "\t", "|"] as const;
/** The preview's choice of how to read the file, instead of what was sniffed. */
export const previewOverride = z.object({
  encoding: z.enum(IMPORT_ENCODINGS).optional(),
  delimiter: z.enum(IMPORT_DELIMITERS).optional(),
});
export type PreviewOverride = z.infer<typeof previewOverride>;
export const rereadInput = importIdInput.extend(previewOverride.shape);
export const importChangesInput = importIdInput.extend({
  limit: z.number().int().min(1).max(200).default(20),
});
export const startImportInput = importIdInput.extend(importOptions.shape);
export const listImportsInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(5).max(100).default(10),
});
