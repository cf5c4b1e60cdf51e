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
 * web processes push the change to the progress subscription.
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
import { inSequence } from "@/server/db/in-sequence";
import type { Tx } from "@/server/db/tenant";
import {
  contactImportErrors,
  contactImports,
  type ContactImport,
  type ImportCounts,
} from "./contacts.table";

export type ImportRef = { workspaceId: string; importId: string };
type ImportStatus = ContactImport["status"];

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

/** Drops the rejected rows an interrupted dry run already reported (it starts over). */
export async function deleteImportErrors(tx: Tx, ref: ImportRef): Promise<void> {
  await tx
    .delete(contactImportErrors)
    .where(
      and(
        eq(contactImportErrors.workspaceId, ref.workspaceId),
        eq(contactImportErrors.importId, ref.importId),
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
  if (row) await notifyImport(tx, ref.importId);
  return row ?? null;
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
