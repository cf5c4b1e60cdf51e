import type { ContactImport } from "../contacts.table";
import type { ImportDetection, ImportView } from "../imports.schema";
import { decodeErrorRef } from "@/lib/error-ref";
import { renderStoredError } from "@/lib/error-text";

/** The public shape of an import, with the live rate and ETA derived from its counters. */
export function toImportView(row: ContactImport): ImportView {
  let rate: number | null = null;
  let etaSeconds: number | null = null;
  const counts = row.counts ?? null;
  if (row.status === "running" && row.startedAt && counts) {
    const elapsed = (Date.now() - row.startedAt.getTime()) / 1000;
    if (elapsed > 0.5 && counts.processed > 0) {
      rate = Math.round(counts.processed / elapsed);
      const bytes = counts.bytesRead ?? 0;
      if (bytes > 0 && row.fileSize > bytes)
        etaSeconds = Math.round(elapsed * ((row.fileSize - bytes) / bytes));
      else if (bytes >= row.fileSize) etaSeconds = 0;
    }
  }
  return {
    id: row.id,
    fileName: row.fileName,
    fileSize: row.fileSize,
    status: row.status,
    dryRun: row.dryRun,
    detected: (row.detected as ImportDetection | null) ?? null,
    counts,
    // Stored as an error code: the code for the reader's language, English for API clients.
    error: row.errorMessage ? decodeErrorRef(row.errorMessage) : null,
    errorMessage: row.errorMessage && renderStoredError(row.errorMessage, "en"),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    createdAt: row.createdAt,
    rate,
    etaSeconds,
  };
}

export const TERMINAL_STATUSES = new Set<ImportView["status"]>(["completed", "failed", "canceled"]);
