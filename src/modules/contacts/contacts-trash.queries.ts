/**
 * contact_trash: a deleted contact kept for the few minutes its Undo is offered — the row as
 * it was (JSON) and its group ids. Restoring re-inserts both with the same id; the purge
 * (maintenance job) deletes what is older than the window.
 */
import { and, eq, getTableColumns, lt, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { contacts, contactTrash } from "./contacts.table";

/** The contact as it is now, and its groups, into the trash (before it is deleted). */
export async function copyContactToTrash(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  deletedBy: string | null,
): Promise<void> {
  await tx.execute(sql`
    insert into contact_trash (workspace_id, contact_id, contact, group_ids, deleted_by)
    select c.workspace_id, c.id, to_jsonb(c),
           coalesce((select array_agg(m.group_id) from contact_group_member m
                      where m.workspace_id = c.workspace_id and m.contact_id = c.id), '{}'),
           ${deletedBy}::uuid
      from contact c where c.workspace_id = ${workspaceId} and c.id = ${contactId}
    on conflict (workspace_id, contact_id) do update
      set contact = excluded.contact, group_ids = excluded.group_ids,
          deleted_by = excluded.deleted_by, deleted_at = now()`);
}

// Every stored column of contact (generated ones are computed again on insert), by its SQL
// name (the schema is declared in camelCase and mapped to snake_case).
const STORED_COLUMNS = Object.values(getTableColumns(contacts))
  .filter((c) => !c.generated)
  .map((c) => `"${c.name.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)}"`);
const STORED = STORED_COLUMNS.join(", ");
const STORED_FROM_R = STORED_COLUMNS.map((c) => `r.${c}`).join(", ");

/**
 * Puts a trashed contact back — same id, same values — with its groups that still exist, if it
 * was deleted after `deletedAfter` and its phone is still free (else it stays in the trash
 * and this returns null).
 */
export async function restoreFromTrash(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  deletedAfter: Date,
): Promise<{ id: string; phone: string } | null> {
  const trashed = and(
    eq(contactTrash.workspaceId, workspaceId),
    eq(contactTrash.contactId, contactId),
  );
  const { rows } = await tx.execute<{ id: string; phone: string }>(sql`
    insert into contact (${sql.raw(STORED)})
    select ${sql.raw(STORED_FROM_R)}
      from contact_trash t, jsonb_populate_record(null::contact, t.contact) as r
     where t.workspace_id = ${workspaceId} and t.contact_id = ${contactId}
       and t.deleted_at > ${deletedAfter}
    on conflict do nothing
    returning id, phone`);
  const restored = rows[0];
  if (!restored) return null;
  await tx.execute(sql`
    insert into contact_group_member (workspace_id, group_id, contact_id)
    select ${workspaceId}::uuid, g.id, ${contactId}::uuid
      from contact_trash t join contact_group g
        on g.workspace_id = t.workspace_id and g.id = any(t.group_ids)
     where t.workspace_id = ${workspaceId} and t.contact_id = ${contactId}`);
  await tx.delete(contactTrash).where(trashed);
  return restored;
}

/** Trashed contacts older than `deletedBefore`, gone for good (as the owner). */
export async function purgeTrash(db: Database, deletedBefore: Date): Promise<number> {
  const removed = await db
    .delete(contactTrash)
    .where(lt(contactTrash.deletedAt, deletedBefore))
    .returning({ id: contactTrash.contactId });
  return removed.length;
}
