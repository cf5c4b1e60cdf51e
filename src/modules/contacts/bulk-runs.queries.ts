/** contact_bulk_run: a bulk action over a filter and its progress, one row per run. */
import { and, asc, eq, gt, inArray, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { contactBulkRuns, contacts, type ContactBulkRun } from "./contacts.table";

export type BulkRunRef = { workspaceId: string; runId: string };
const byRef = ({ workspaceId, runId }: BulkRunRef) =>
  and(eq(contactBulkRuns.workspaceId, workspaceId), eq(contactBulkRuns.id, runId));

export async function insertBulkRun(tx: Tx, values: typeof contactBulkRuns.$inferInsert) {
  const [row] = await tx.insert(contactBulkRuns).values(values).returning();
  return row!;
}

export async function findBulkRun(tx: Tx, ref: BulkRunRef): Promise<ContactBulkRun | null> {
  const [row] = await tx.select().from(contactBulkRuns).where(byRef(ref));
  return row ?? null;
}

/** Locks the run for one batch: a second delivery of the job waits, then sees the cursor. */
export async function lockBulkRun(tx: Tx, ref: BulkRunRef): Promise<ContactBulkRun | null> {
  const [row] = await tx
    .select()
    .from(contactBulkRuns)
    .where(and(byRef(ref), inArray(contactBulkRuns.status, ["queued", "running"])))
    .for("update");
  return row ?? null;
}

/** The next batch of matching contact ids after `cursor`, in id order (keyset). */
export async function findMatchingIds(tx: Tx, where: SQL, cursor: string | null, limit: number) {
  const rows = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(cursor ? and(where, gt(contacts.id, cursor)) : where)
    .orderBy(asc(contacts.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function saveBulkProgress(
  tx: Tx,
  ref: BulkRunRef,
  progress: Pick<ContactBulkRun, "processed" | "affected" | "cursor" | "status">,
) {
  await tx
    .update(contactBulkRuns)
    .set({
      ...progress,
      finishedAt:
        progress.status === "completed" || progress.status === "failed" ? new Date() : null,
    })
    .where(byRef(ref));
}

export async function markBulkRunFailed(tx: Tx, ref: BulkRunRef, error: string) {
  await tx
    .update(contactBulkRuns)
    .set({ status: "failed", error, finishedAt: new Date() })
    .where(and(byRef(ref), inArray(contactBulkRuns.status, ["queued", "running"])));
}
