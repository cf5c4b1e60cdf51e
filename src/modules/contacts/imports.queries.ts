import { inSequence } from "@/server/db/in-sequence";
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { contactImportErrors, contactImports, type ContactImport } from "./contacts.table";

export async function findImport(
  tx: Tx,
  workspaceId: string,
  importId: string,
): Promise<ContactImport | null> {
  const [row] = await tx
    .select()
    .from(contactImports)
    .where(and(eq(contactImports.workspaceId, workspaceId), eq(contactImports.id, importId)));
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

export async function updateImport(
  tx: Tx,
  workspaceId: string,
  importId: string,
  values: Partial<typeof contactImports.$inferInsert>,
  /** Only when the import is still in one of these states (a compare-and-set): else null. */
  fromStatuses?: ContactImport["status"][],
) {
  const [row] = await tx
    .update(contactImports)
    .set(values)
    .where(
      and(
        eq(contactImports.workspaceId, workspaceId),
        eq(contactImports.id, importId),
        fromStatuses ? inArray(contactImports.status, fromStatuses) : undefined,
      ),
    )
    .returning();
  return row ?? null;
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
