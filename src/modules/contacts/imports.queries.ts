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
 * data, and nothing reads it again (`expireUploads` and `purgeFinishedUploads` sweep up
 * whatever a crash left behind).
 */
import {
  and,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  sql,
  type SQL,
} from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { PoolClient } from "pg";
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

export async function findImportsPage(tx: Tx, workspaceId: string, page: number, pageSize: number) {
  const where = eq(contactImports.workspaceId, workspaceId);
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
  if (row && END_STATES.includes(row.status)) await deleteUploadChunks(tx, ref);
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
 * uploaded → canceled for uploads never started within the retention window; their files go
 * with them. Returns the expired imports.
 */
export async function expireUploads(db: Database, createdBefore: Date) {
  const expired = await db
    .update(contactImports)
    .set({
      status: "canceled",
      errorMessage: "Not started in time: the uploaded file was deleted. Upload it again.",
      cancelRequestedAt: sql`now()`,
      finishedAt: sql`now()`,
    })
    .where(
      and(
        eq(contactImports.status, "uploaded"),
        sql`${contactImports.createdAt} < ${createdBefore}`,
      ),
    )
    .returning({ workspaceId: contactImports.workspaceId, importId: contactImports.id });
  for (const ref of expired) {
    await db.delete(contactImportChunks).where(eq(contactImportChunks.importId, ref.importId));
    await db.execute(sql`select pg_notify('contact_import', ${ref.importId})`);
  }
  return expired;
}

/** Files of imports that have ended but still hold chunks (a crash between two commits). */
export async function purgeFinishedUploads(db: Database): Promise<number> {
  const removed = await db
    .delete(contactImportChunks)
    .where(
      inArray(
        contactImportChunks.importId,
        db
          .select({ id: contactImports.id })
          .from(contactImports)
          .where(inArray(contactImports.status, [...END_STATES])),
      ),
    )
    .returning({ importId: contactImportChunks.importId });
  return new Set(removed.map((r) => r.importId)).size;
}
