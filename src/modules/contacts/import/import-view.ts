import type { ContactImport } from "../contacts.table";
import type { ImportDetection, ImportView } from "../imports.schema";
import { decodeErrorRef } from "@/lib/error-ref";
import { renderStoredError } from "@/lib/error-text";

/**
 * How far a running import is, 0–1: rows done out of the file's rows when the upload counted
 * them (bytes read run ahead of the rows written, so they would overstate it), else bytes.
 */
function doneFraction(row: ContactImport): number | null {
  const counts = row.counts;
  if (!counts || row.status !== "running") return null;
  if (counts.total > 0) return Math.min(1, counts.processed / counts.total);
  return row.fileSize > 0 ? Math.min(1, (counts.bytesRead ?? 0) / row.fileSize) : null;
}

/** The public shape of an import, with the live progress, rate and ETA from its counters. */
export function toImportView(row: ContactImport): ImportView {
  let rate: number | null = null;
  let etaSeconds: number | null = null;
  const counts = row.counts ?? null;
  const fraction = doneFraction(row);
  if (row.status === "running" && row.startedAt && counts && fraction !== null) {
    const elapsed = (Date.now() - row.startedAt.getTime()) / 1000;
    if (elapsed > 0.5 && counts.processed > 0) {
      rate = Math.round(counts.processed / elapsed);
      etaSeconds = fraction > 0 ? Math.round((elapsed * (1 - fraction)) / fraction) : null;
    }
  }
  const options = (row.options ?? {}) as {
    realRunId?: string;
    dryRunId?: string;
    fileDeleted?: boolean;
    mode?: ImportView["mode"];
  };
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
    fraction,
    mode: options.mode ?? "upsert",
    realRunId: options.realRunId ?? null,
    dryRunId: options.dryRunId ?? null,
    canRunForReal:
      row.dryRun && row.status === "completed" && !options.realRunId && !options.fileDeleted,
  };
}

export const TERMINAL_STATUSES = new Set<ImportView["status"]>(["completed", "failed", "canceled"]);
