/** The imports that changed one contact, from their change lists (contact_import_change). */
import { and, desc, eq } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { contactImportChanges, contactImports } from "./contacts.table";

export async function findImportChangesOfContact(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  limit: number,
) {
  return tx
    .select({
      importId: contactImports.id,
      fileName: contactImports.fileName,
      at: contactImports.finishedAt,
      startedAt: contactImports.startedAt,
      field: contactImportChanges.field,
      before: contactImportChanges.before,
      after: contactImportChanges.after,
    })
    .from(contactImportChanges)
    .innerJoin(contactImports, eq(contactImports.id, contactImportChanges.importId))
    .where(
      and(
        eq(contactImportChanges.workspaceId, workspaceId),
        eq(contactImportChanges.contactId, contactId),
        // A dry run's list says what would have changed: nothing happened to the contact.
        eq(contactImports.dryRun, false),
      ),
    )
    .orderBy(desc(contactImportChanges.id))
    .limit(limit);
}
