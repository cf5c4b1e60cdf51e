/** Bulk contact writes: set-based, one statement per action whatever the number of ids. */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { contactGroupMembers, contacts } from "./contacts.table";

const inWorkspace = (workspaceId: string, ids: string[]) =>
  and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, ids));

export async function addContactsToGroup(
  tx: Tx,
  workspaceId: string,
  groupId: string,
  ids: string[],
) {
  const result = await tx.execute(
    sql`insert into ${contactGroupMembers} (workspace_id, group_id, contact_id)
        select ${workspaceId}::uuid, ${groupId}::uuid, ${contacts.id} from ${contacts}
         where ${inWorkspace(workspaceId, ids)}
        on conflict do nothing`,
  );
  return result.rowCount ?? 0;
}

export async function removeContactsFromGroup(
  tx: Tx,
  workspaceId: string,
  groupId: string,
  ids: string[],
) {
  const result = await tx
    .delete(contactGroupMembers)
    .where(
      and(
        eq(contactGroupMembers.workspaceId, workspaceId),
        eq(contactGroupMembers.groupId, groupId),
        inArray(contactGroupMembers.contactId, ids),
      ),
    );
  return result.rowCount ?? 0;
}

export async function deleteContactsByIds(tx: Tx, workspaceId: string, ids: string[]) {
  const result = await tx.delete(contacts).where(inWorkspace(workspaceId, ids));
  return result.rowCount ?? 0;
}

export async function optOutContactsByIds(
  tx: Tx,
  workspaceId: string,
  ids: string[],
  reason: string,
) {
  const rows = await tx
    .update(contacts)
    .set({ optedOutAt: sql`now()`, optOutReason: reason, updatedAt: sql`now()` })
    .where(and(inWorkspace(workspaceId, ids), isNull(contacts.optedOutAt)))
    .returning({ phone: contacts.phone });
  return rows.map((r) => r.phone);
}
