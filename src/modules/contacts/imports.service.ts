import { importContacts } from "@jobs/contacts/import.job";
import { enqueue } from "@jobs/enqueue";
import { env } from "@/env";
import { AppError } from "@/lib/errors";
import { systemDb } from "@/server/db/client";
import { withTenant, withTenantClient } from "@/server/db/tenant";
import { getBoss } from "@/server/queue/boss";
import {
  createUploadGuard,
  defaultUploadLimits,
  type UploadGuard,
} from "@/server/http/upload-limits";
import type { ContactImport } from "./contacts.table";
import { IMPORT_CHANGES_RETENTION_DAYS } from "./import/change-log";
import { detectFromHead } from "./import/detect";
import { toImportView } from "./import/import-view";
import { readLedger } from "./import/ledger";
import { writeUploadChunks } from "./import/store-upload";
import {
  deleteUnstartedUpload,
  deleteAbandonedUploads,
  deleteOldChangeLists,
  findImport,
  findImportErrors,
  findImportsPage,
  insertUpload,
  markCanceled,
  markQueued,
  markUnqueued,
  purgeFinishedUploads,
  recordUpload,
  requestCancel,
  tryLockImportRun,
  type ImportRef,
} from "./imports.queries";
import type { ImportDetection, ImportOptions, ImportView } from "./imports.schema";

async function requireImport(workspaceId: string, importId: string): Promise<ContactImport> {
  const row = await withTenant({ workspaceId }, (tx) => findImport(tx, workspaceId, importId));
  if (!row) throw new AppError("NOT_FOUND", "import.notFound");
  return row;
}

/**
 * Stores an uploaded file (streamed, in one transaction: a refused or failed upload leaves
 * nothing behind) and detects encoding, delimiter, header and the proposed column mapping.
 */
export async function storeUpload({
  workspaceId,
  userId,
  fileName,
  body,
  maxBytes = env.IMPORT_MAX_BYTES,
  guard = uploadGuard(),
}: {
  workspaceId: string;
  userId: string | null;
  fileName: string;
  body: AsyncIterable<Uint8Array>;
  maxBytes?: number;
  /** Upload slots and the minimum transfer rate (server/http/upload-limits.ts). */
  guard?: UploadGuard;
}): Promise<ImportView> {
  // An upload holds a connection for as long as the client sends: slots per workspace and per
  // process keep one tenant's slow uploads from blocking the others or starving the pool.
  const release = guard.admit(workspaceId);
  try {
    return await storeUploadInTransaction({
      workspaceId,
      userId,
      fileName,
      body: guard.paced(body),
      maxBytes,
    });
  } finally {
    release();
  }
}

// One guard per process, however many route bundles load this module.
const holder = globalThis as { __salestrackUploadGuard?: UploadGuard };
function uploadGuard(): UploadGuard {
  holder.__salestrackUploadGuard ??= createUploadGuard(defaultUploadLimits(env.DATABASE_POOL_MAX));
  return holder.__salestrackUploadGuard;
}

async function storeUploadInTransaction({
  workspaceId,
  userId,
  fileName,
  body,
  maxBytes,
}: {
  workspaceId: string;
  userId: string | null;
  fileName: string;
  body: AsyncIterable<Uint8Array>;
  maxBytes: number;
}): Promise<ImportView> {
  const importId = await withTenantClient({ workspaceId }, async ({ tx, client }) => {
    // A client that stops sending mid-upload is cut off, and its transaction rolled back.
    await client.query("set local idle_in_transaction_session_timeout = '60s'");
    const id = await insertUpload(tx, {
      workspaceId,
      createdBy: userId,
      fileName: fileName.slice(0, 255) || "upload.csv",
    });
    const { size, head, validUtf8, records } = await writeUploadChunks(client, {
      workspaceId,
      importId: id,
      body,
      maxBytes,
    });
    if (size === 0) throw new AppError("BAD_REQUEST", "import.emptyFile");
    const detected = { ...detectFromHead(head, size <= head.length, !validUtf8), records };
    await recordUpload(tx, { workspaceId, importId: id }, { fileSize: size, detected });
    return id;
  });
  return toImportView(await requireImport(workspaceId, importId));
}

/** Queues the import job with the chosen mapping (or the detected one). */
export async function startImport({
  workspaceId,
  importId,
  options,
}: {
  workspaceId: string;
  importId: string;
  options: ImportOptions;
}): Promise<ImportView> {
  const row = await requireImport(workspaceId, importId);
  if (row.status !== "uploaded")
    throw new AppError("CONFLICT", "import.alreadyInStatus", { params: { status: row.status } });
  const detected = row.detected as Pick<
    ImportDetection,
    "mapping" | "hasHeader" | "records"
  > | null;
  const mapping = options.mapping ?? detected?.mapping ?? [];
  if (!mapping.some((m) => m.kind === "field" && m.field === "phone")) {
    throw new AppError("BAD_REQUEST", "import.phoneColumnRequired", { field: "mapping" });
  }
  const hasHeader = options.hasHeader ?? detected?.hasHeader ?? true;
  const ref = { workspaceId, importId };
  // Compare-and-set: a double click or a retried request queues the import once.
  const queued = await withTenant({ workspaceId }, (tx) =>
    markQueued(tx, ref, {
      dryRun: options.dryRun,
      options: {
        mapping,
        hasHeader,
        mode: options.mode ?? "upsert",
        // Data rows, known from the upload: progress is rows done out of these.
        ...(detected?.records != null && {
          totalRows: Math.max(0, detected.records - (hasHeader ? 1 : 0)),
        }),
      },
    }),
  );
  if (!queued) throw new AppError("CONFLICT", "import.alreadyStarted");
  try {
    await enqueue(importContacts, ref);
  } catch (err) {
    // Not queued after all: let the user start it again rather than wait forever.
    await withTenant({ workspaceId }, (tx) => markUnqueued(tx, ref));
    throw err;
  }
  return toImportView(queued);
}

export async function getImport({
  workspaceId,
  importId,
}: {
  workspaceId: string;
  importId: string;
}): Promise<ImportView> {
  return toImportView(await requireImport(workspaceId, importId));
}

export async function listImports({
  workspaceId,
  page,
  pageSize,
}: {
  workspaceId: string;
  page: number;
  pageSize: number;
}) {
  const { rows, total } = await withTenant({ workspaceId }, (tx) =>
    findImportsPage(tx, workspaceId, page, pageSize),
  );
  return { rows: rows.map(toImportView), total };
}

/** The first `limit` rejected rows of an import, in file order. */
export function listRejectedRows({
  workspaceId,
  importId,
  limit,
}: {
  workspaceId: string;
  importId: string;
  limit: number;
}) {
  return withTenant({ workspaceId }, (tx) =>
    findImportErrors(tx, workspaceId, importId, null, limit),
  );
}

/**
 * Stops a queued or running import. One that has not started is canceled at once. A running
 * one is asked to stop, and its runner checks between batches: the batch in flight commits or
 * rolls back whole, so data stays consistent and the counts say how far it got. When no live
 * runner holds the import — its worker died and pg-boss has not retried it yet, or pg-boss
 * gave the job up while a wedged worker still holds it — nobody would see the request: the
 * import is canceled here and now, with the counts its ledger holds.
 */
export async function cancelImport({
  workspaceId,
  importId,
  userId = null,
}: {
  workspaceId: string;
  importId: string;
  /** Who cancels: the import's audit entry (written by the status trigger) names them. */
  userId?: string | null;
}): Promise<ImportView> {
  const ref = { workspaceId, importId };
  const row = await requireImport(workspaceId, importId);
  if (row.status === "uploaded" || row.status === "queued") {
    const canceled = await withTenant({ workspaceId, userId }, (tx) => markCanceled(tx, ref));
    // Picked up by a worker meanwhile: ask the run to stop instead.
    if (canceled) return toImportView(canceled);
    return cancelImport({ ...ref, userId });
  }
  if (row.status !== "running")
    throw new AppError("CONFLICT", "import.alreadyInStatus", { params: { status: row.status } });
  const givenUp = await jobGivenUp(importId);
  const result = await withTenantClient({ workspaceId, userId }, async ({ tx, client }) => {
    const asked = await requestCancel(tx, ref);
    if (!asked) return null;
    // Holding the run's lock until this commits: a runner starting meanwhile finds the row
    // changed under it and gives up its claim (markRunning compares the row version).
    if (!givenUp && !(await tryLockImportRun(client, importId))) return asked;
    // What is committed is what the ledger holds (a dry run keeps its own report).
    const counts = asked.dryRun ? undefined : (await readLedger(client, importId)).counts;
    return markCanceled(tx, ref, counts);
  });
  // Finished meanwhile: nothing left to cancel, report how it ended.
  return toImportView(result ?? (await requireImport(workspaceId, importId)));
}

/**
 * Whether pg-boss has given up the import's job while something may still hold its lock: the
 * latest job is no longer active, or its heartbeat is older than two intervals. An import run
 * without a pg-boss job (the CLI, tests) has none, and is judged by its lock alone.
 */
async function jobGivenUp(importId: string): Promise<boolean> {
  const jobs = await (await getBoss()).findJobs(importContacts.name, { key: importId });
  const latest = jobs.at(-1);
  if (!latest) return false;
  if (latest.state !== "active") return true;
  const beat = (latest.heartbeatOn ?? latest.startedOn)?.getTime() ?? Date.now();
  const seconds = latest.heartbeatSeconds ?? importContacts.options.heartbeatSeconds ?? 30;
  return Date.now() - beat > 2 * seconds * 1000;
}

/**
 * Deletes an upload that was never started, file and all: a refusal before the import began
 * (an API client's upload whose options cannot start) must leave nothing behind.
 */
export async function discardUpload(ref: ImportRef): Promise<boolean> {
  const deleted = await withTenant({ workspaceId: ref.workspaceId }, (tx) =>
    deleteUnstartedUpload(tx, ref),
  );
  return deleted !== null;
}

/**
 * Retention of uploaded files (personal data), as the owner across workspaces: previews never
 * started within `olderThanHours`, and discarded ones, are deleted (row and file); files of
 * ended imports a crash left behind, and of completed dry runs past the window, are deleted
 * too (each other end state deletes its own file as it commits); change lists go after
 * IMPORT_CHANGES_RETENTION_DAYS.
 */
export async function purgeImportUploads({ olderThanHours }: { olderThanHours: number }) {
  const cutoff = new Date(Date.now() - olderThanHours * 3_600_000);
  const expired = await deleteAbandonedUploads(systemDb(), cutoff);
  const purged = await purgeFinishedUploads(systemDb(), cutoff);
  const changes = await deleteOldChangeLists(
    systemDb(),
    new Date(Date.now() - IMPORT_CHANGES_RETENTION_DAYS * 86_400_000),
  );
  return { expired, purged, changes };
}
