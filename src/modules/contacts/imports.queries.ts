/**
 * contact_import: reads, and its state machine — the only writer of an import's status.
 *
 *   uploaded ─markQueued→ queued ─markRunning→ running ─markCompleted→ completed
 *      ↑                    │                    │ ↺ markRunning (a retry resumes)
 *      └──── markUnqueued ──┘                    ├─markFailed→ failed
 *   uploaded | queued ───────markCanceled──────→ canceled ←─markCanceled─ running, once
 *                                                            requestCancel has asked
 *
 * Every transition is a compare-and-set on the status it leaves (null when the import was no
 * longer there: someone else moved it first), and notifies `contact_import` on commit so the
 * web processes push the change to the progress subscription. A transition to an end state
 * (completed, failed, canceled) deletes the stored file in the same commit: it is personal
 * data, and nothing reads it again — except a completed dry run's, kept for "Import for
 * real" (`queueRealRun`: a new queued import takes the file over). `deleteAbandonedUploads`
 * and `purgeFinishedUploads` sweep up previews never started and whatever a crash left.
 */
import {
  and,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  isNull,
  sql,
  type SQL,
} from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { PoolClient } from "pg";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { Database } from "@/server/db/client";
import { inSequence } from "@/server/db/in-sequence";
import type { Tx } from "@/server/db/tenant";
import {
  contactImportChanges,
  contactImportChunks,
  contactImportErrors,
  contactImports,
  type ContactImport,
  type ImportCounts,
} from "./contacts.table";

export type ImportRef = { workspaceId: string; importId: string };
type ImportStatus = ContactImport["status"];
const END_STATES: readonly ImportStatus[] = ["completed", "failed", "canceled"];

const byRef = ({ workspaceId, importId }: ImportRef) =>
  and(eq(contactImports.workspaceId, workspaceId), eq(contactImports.id, importId));

export async function findImport(
  tx: Tx,
  workspaceId: string,
  importId: string,
): Promise<ContactImport | null> {
  const [row] = await tx.select().from(contactImports).where(byRef({ workspaceId, importId }));
  return row ?? null;
}

/** The import with its row version (xmin): `markRunning` succeeds only if it is unchanged. */
export async function findImportForRun(tx: Tx, ref: ImportRef) {
  const [row] = await tx
    .select({ ...getTableColumns(contactImports), version: sql<string>`xmin::text` })
    .from(contactImports)
    .where(byRef(ref));
  return row ?? null;
}

/**
 * The history: imports that were started. Previews never started (or discarded) are not
 * imports yet; the retention job deletes them (deleteAbandonedUploads).
 */
export async function findImportsPage(tx: Tx, workspaceId: string, page: number, pageSize: number) {
  const where = and(eq(contactImports.workspaceId, workspaceId), isNotNull(contactImports.options));
  const [rows, [total]] = await inSequence([
    tx
      .select()
      .from(contactImports)
      .where(where)
      .orderBy(desc(contactImports.createdAt))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    tx.select({ n: count() }).from(contactImports).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export function findImportErrors(
  tx: Tx,
  workspaceId: string,
  importId: string,
  /** The last row of the previous page (keyset: every page costs the same), or null. */
  after: { rowNumber: number; id: number } | null,
  limit: number,
) {
  return tx
    .select({
      rowNumber: contactImportErrors.rowNumber,
      raw: contactImportErrors.raw,
      reason: contactImportErrors.reason,
      id: contactImportErrors.id,
    })
    .from(contactImportErrors)
    .where(
      and(
        eq(contactImportErrors.workspaceId, workspaceId),
        eq(contactImportErrors.importId, importId),
        after
          ? sql`(${contactImportErrors.rowNumber}, ${contactImportErrors.id}) > (${after.rowNumber}, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(contactImportErrors.rowNumber, contactImportErrors.id)
    .limit(limit);
}

/** The change list of an import in the order it was written (keyset on id). */
export function findImportChanges(
  tx: Tx,
  ref: ImportRef,
  /** The id of the last row of the previous page, or null. */
  afterId: number | null,
  limit: number,
) {
  return tx
    .select({
      id: contactImportChanges.id,
      contactId: contactImportChanges.contactId,
      phone: contactImportChanges.phone,
      field: contactImportChanges.field,
      before: contactImportChanges.before,
      after: contactImportChanges.after,
    })
    .from(contactImportChanges)
    .where(
      and(
        eq(contactImportChanges.workspaceId, ref.workspaceId),
        eq(contactImportChanges.importId, ref.importId),
        afterId === null ? undefined : sql`${contactImportChanges.id} > ${afterId}`,
      ),
    )
    .orderBy(contactImportChanges.id)
    .limit(limit);
}

/** Drops the rejected rows and changes an interrupted dry run already reported (it starts over). */
export async function deleteImportReport(tx: Tx, ref: ImportRef): Promise<void> {
  await tx
    .delete(contactImportErrors)
    .where(
      and(
        eq(contactImportErrors.workspaceId, ref.workspaceId),
        eq(contactImportErrors.importId, ref.importId),
      ),
    );
  await tx
    .delete(contactImportChanges)
    .where(
      and(
        eq(contactImportChanges.workspaceId, ref.workspaceId),
        eq(contactImportChanges.importId, ref.importId),
      ),
    );
}

/** A new upload: `uploaded`, size 0 until its chunks are in (`recordUpload`). */
export async function insertUpload(
  tx: Tx,
  values: { workspaceId: string; createdBy: string | null; fileName: string },
): Promise<string> {
  const [row] = await tx
    .insert(contactImports)
    .values({ ...values, fileSize: 0 })
    .returning({ id: contactImports.id });
  return row!.id;
}

/** The stored file's size and what was detected in it; the status stays `uploaded`. */
export async function recordUpload(
  tx: Tx,
  ref: ImportRef,
  values: { fileSize: number; detected: Record<string, unknown> },
): Promise<void> {
  await tx.update(contactImports).set(values).where(byRef(ref));
}

/** A new reading of a not yet started upload (the preview's encoding or delimiter). */
export async function replaceDetection(
  tx: Tx,
  ref: ImportRef,
  detected: Record<string, unknown>,
): Promise<ContactImport | null> {
  const [row] = await tx
    .update(contactImports)
    .set({ detected })
    .where(and(byRef(ref), eq(contactImports.status, "uploaded")))
    .returning();
  return row ?? null;
}

/**
 * Deletes an upload that was never started (the row and, by cascade, its file): for a refusal
 * before the import begins, which should leave nothing behind. Null if it was started.
 */
export async function deleteUnstartedUpload(tx: Tx, ref: ImportRef) {
  const [row] = await tx
    .delete(contactImports)
    .where(and(byRef(ref), eq(contactImports.status, "uploaded")))
    .returning({ id: contactImports.id });
  return row ?? null;
}

// ——— transitions ———

async function notifyImport(tx: Tx, importId: string) {
  // Delivered on commit to the web processes' LISTEN connection (live progress).
  await tx.execute(sql`select pg_notify('contact_import', ${importId})`);
}

/** One compare-and-set: `values` only if the import is in one of `from` (and `also` holds). */
async function transition(
  tx: Tx,
  ref: ImportRef,
  from: readonly ImportStatus[],
  values: PgUpdateSetSource<typeof contactImports>,
  also?: SQL,
): Promise<ContactImport | null> {
  const [row] = await tx
    .update(contactImports)
    .set(values)
    .where(and(byRef(ref), inArray(contactImports.status, [...from]), also))
    .returning();
  // A completed dry run keeps its file for "Import for real" (queueRealRun), until the
  // retention job deletes it with the other ended imports' files.
  const keepFile = row?.status === "completed" && row.dryRun;
  if (row && END_STATES.includes(row.status) && !keepFile) await deleteUploadChunks(tx, ref);
  if (row) await notifyImport(tx, ref.importId);
  return row ?? null;
}

/** The stored file of one import (its chunks). */
async function deleteUploadChunks(tx: Tx, ref: ImportRef): Promise<void> {
  await tx
    .delete(contactImportChunks)
    .where(
      and(
        eq(contactImportChunks.workspaceId, ref.workspaceId),
        eq(contactImportChunks.importId, ref.importId),
      ),
    );
}

/**
 * The run's lock: one runner per import, held by its reader transaction for the whole run and
 * released with its connection if the process dies. Taken by the runner (pipeline.ts) and,
 * briefly, by a cancel that needs to know whether any runner is alive.
 */
export async function tryLockImportRun(client: PoolClient, importId: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    "select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as ok",
    [`contact_import:${importId}`],
  );
  return rows[0]?.ok === true;
}

/**
 * The workspace's batch lock, held by a batch's first part until the batch commits or rolls
 * back. A batch writes its parts on several connections and commits them together, so two
 * imports writing the same phones at once could each hold a part that the other's waits on:
 * a wait cycle through the runner that the server cannot see. One batch at a time per
 * workspace cannot form it; a cancel stops the wait like any statement.
 */
export async function lockImportBatch(client: PoolClient, workspaceId: string): Promise<void> {
  await client.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `contact_import_batch:${workspaceId}`,
  ]);
}

/**
 * completed dry run → a new import, queued, of the same stored file with the same options:
 * the file's chunks move over (no second upload). A compare-and-set on the dry run (completed,
 * not run for real yet, file not purged): null when it lost. Throws (rolling back) when the
 * file is no longer there.
 */
export async function queueRealRun(
  tx: Tx,
  dry: ImportRef,
  createdBy: string | null,
): Promise<ContactImport | null> {
  const realId = randomUUID();
  const options = sql`coalesce(${contactImports.options}, '{}'::jsonb)`;
  const [dryRun] = await tx
    .update(contactImports)
    .set({ options: sql`${options} || jsonb_build_object('realRunId', ${realId}::text)` })
    .where(
      and(
        byRef(dry),
        eq(contactImports.status, "completed"),
        eq(contactImports.dryRun, true),
        sql`not (${options} ?| array['realRunId', 'fileDeleted'])`,
      ),
    )
    .returning();
  if (!dryRun) return null;
  // The real run fixes its own batch size at its first start.
  const { batchRows: _batchRows, realRunId: _realRunId, ...runOptions } = dryRun.options ?? {};
  const [real] = await tx
    .insert(contactImports)
    .values({
      id: realId,
      workspaceId: dry.workspaceId,
      createdBy,
      fileName: dryRun.fileName,
      fileSize: dryRun.fileSize,
      detected: dryRun.detected,
      options: { ...runOptions, dryRunId: dry.importId },
      status: "queued",
      dryRun: false,
    })
    .returning();
  const moved = await tx
    .update(contactImportChunks)
    .set({ importId: realId })
    .where(
      and(
        eq(contactImportChunks.workspaceId, dry.workspaceId),
        eq(contactImportChunks.importId, dry.importId),
      ),
    )
    .returning({ seq: contactImportChunks.seq });
  if (moved.length === 0) throw new AppError("CONFLICT", "import.fileGone");
  await notifyImport(tx, dry.importId);
  await notifyImport(tx, realId);
  return real!;
}

/** uploaded → queued, with the options it will run with. */
export function markQueued(
  tx: Tx,
  ref: ImportRef,
  { dryRun, options }: { dryRun: boolean; options: Record<string, unknown> },
) {
  return transition(tx, ref, ["uploaded"], { status: "queued", dryRun, options });
}

/** queued → uploaded: the job could not be queued after all, so it can be started again. */
export function markUnqueued(tx: Tx, ref: ImportRef) {
  return transition(tx, ref, ["queued"], { status: "uploaded" });
}

/**
 * queued → running, or running → running when a retry resumes it; only if the row is still
 * the version the runner read. The batch size is fixed at the first start (a resumed run
 * must cut the same batches): resolves with it, or null when the claim lost.
 */
export async function markRunning(
  tx: Tx,
  ref: ImportRef,
  claim: {
    from: "queued" | "running";
    version: string;
    counts: ImportCounts;
    batchRows: number;
  },
): Promise<number | null> {
  const options = contactImports.options;
  const [row] = await tx
    .update(contactImports)
    .set({
      status: "running",
      startedAt: sql`coalesce(${contactImports.startedAt}, now())`,
      counts: claim.counts,
      options: sql`coalesce(${options}, '{}'::jsonb) || jsonb_build_object('batchRows',
        coalesce((${options}->>'batchRows')::int, ${claim.batchRows}::int))`,
    })
    .where(
      and(
        byRef(ref),
        // The type says so too; the row checks again (a caller may pass a status it read).
        inArray(contactImports.status, ["queued", "running"]),
        eq(contactImports.status, claim.from),
        sql`${contactImports}.xmin::text = ${claim.version}`,
      ),
    )
    .returning({ batchRows: sql<number>`(${options}->>'batchRows')::int` });
  if (row) await notifyImport(tx, ref.importId);
  return row?.batchRows ?? null;
}

/** running: the counters so far (a progress step, not a transition). */
export function saveProgress(tx: Tx, ref: ImportRef, counts: ImportCounts) {
  return transition(tx, ref, ["running"], { counts });
}

/** running → completed. */
export function markCompleted(tx: Tx, ref: ImportRef, counts: ImportCounts) {
  return transition(tx, ref, ["running"], {
    status: "completed",
    counts,
    finishedAt: sql`now()`,
  });
}

/** running → failed, with what is committed (`counts`) and why. */
export function markFailed(tx: Tx, ref: ImportRef, counts: ImportCounts, error: string) {
  return transition(tx, ref, ["running"], {
    status: "failed",
    counts,
    errorMessage: error.slice(0, 500),
    finishedAt: sql`now()`,
  });
}

/** running, cancel asked for: the worker stops before its next batch (`markCanceled`). */
export function requestCancel(tx: Tx, ref: ImportRef) {
  return transition(tx, ref, ["running"], { cancelRequestedAt: sql`now()` });
}

/**
 * uploaded | queued → canceled at once; running → canceled only once `requestCancel` has
 * asked (the worker calls this between batches, with its counts). Null: nothing to cancel.
 */
export function markCanceled(tx: Tx, ref: ImportRef, counts?: ImportCounts) {
  const notStarted = inArray(contactImports.status, ["uploaded", "queued"]);
  const asked = isNotNull(contactImports.cancelRequestedAt);
  return transition(
    tx,
    ref,
    ["uploaded", "queued", "running"],
    {
      status: "canceled",
      cancelRequestedAt: sql`coalesce(${contactImports.cancelRequestedAt}, now())`,
      finishedAt: sql`now()`,
      ...(counts && { counts }),
    },
    sql`(${notStarted} or ${asked})`,
  );
}

// ——— retention (as the owner, across workspaces: run by the maintenance job) ———

/**
 * Previews nobody started — uploads older than the retention window, and uploads discarded
 * from their preview (canceled before they were ever queued: no options) — are deleted, row
 * and file: they never were imports, so they leave the history too. Returns how many.
 */
export async function deleteAbandonedUploads(db: Database, createdBefore: Date) {
  const deleted = await db
    .delete(contactImports)
    .where(
      and(
        isNull(contactImports.options),
        sql`(${contactImports.status} = 'canceled' or (${contactImports.status} = 'uploaded' and ${contactImports.createdAt} < ${createdBefore}))`,
      ),
    )
    .returning({ importId: contactImports.id });
  for (const ref of deleted) {
    await db.execute(sql`select pg_notify('contact_import', ${ref.importId})`);
  }
  return deleted.length;
}

/**
 * Files of imports that have ended but still hold chunks (a crash between two commits), and
 * of completed dry runs past the window (kept until then for "Import for real", and marked
 * so the page no longer offers it).
 */
export async function purgeFinishedUploads(db: Database, finishedBefore: Date): Promise<number> {
  const keptForRealRun = sql`${contactImports.status} = 'completed' and ${contactImports.dryRun}
    and ${contactImports.finishedAt} >= ${finishedBefore}`;
  const ended = db
    .select({ id: contactImports.id })
    .from(contactImports)
    .where(and(inArray(contactImports.status, [...END_STATES]), sql`not (${keptForRealRun})`));
  const removed = await db
    .delete(contactImportChunks)
    .where(inArray(contactImportChunks.importId, ended))
    .returning({ importId: contactImportChunks.importId });
  const ids = [...new Set(removed.map((r) => r.importId))];
  if (ids.length > 0) {
    await db
      .update(contactImports)
      .set({
        options: sql`coalesce(${contactImports.options}, '{}'::jsonb) || '{"fileDeleted": true}'`,
      })
      .where(and(inArray(contactImports.id, ids), eq(contactImports.dryRun, true)));
  }
  return ids.length;
}

/** Change lists of imports that ended before `finishedBefore`. Returns the rows deleted. */
export async function deleteOldChangeLists(db: Database, finishedBefore: Date): Promise<number> {
  const removed = await db
    .delete(contactImportChanges)
    .where(
      inArray(
        contactImportChanges.importId,
        db
          .select({ id: contactImports.id })
          .from(contactImports)
          .where(sql`${contactImports.finishedAt} < ${finishedBefore}`),
      ),
    )
    .returning({ id: contactImportChanges.id });
  return removed.length;
}
