import { and, asc, count, eq, ilike, inArray, ne, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { contactGroupMembers, contactGroups } from "./contacts.table";

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const byLowerName = sql`lower(${contactGroups.name})`;

export async function findGroupsPage(
  tx: Tx,
  workspaceId: string,
  opts: { page: number; pageSize: number; search?: string },
) {
  const where = and(
    eq(contactGroups.workspaceId, workspaceId),
    opts.search ? ilike(contactGroups.name, `%${likeEscape(opts.search)}%`) : undefined,
  );
  // One after the other: both run on the transaction's one connection.
  const rows = await tx
    .select({
      id: contactGroups.id,
      name: contactGroups.name,
      description: contactGroups.description,
      createdAt: contactGroups.createdAt,
    })
    .from(contactGroups)
    .where(where)
    .orderBy(asc(byLowerName), asc(contactGroups.id))
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize);
  const [total] = await tx.select({ n: count() }).from(contactGroups).where(where);
  return { rows, total: total?.n ?? 0 };
}

/** Member counts of the given groups: one grouped query over the membership primary key. */
export async function countMembers(tx: Tx, workspaceId: string, groupIds: string[]) {
  const counts = new Map<string, number>();
  if (groupIds.length === 0) return counts;
  const rows = await tx
    .select({ groupId: contactGroupMembers.groupId, n: count() })
    .from(contactGroupMembers)
    .where(
      and(
        eq(contactGroupMembers.workspaceId, workspaceId),
        inArray(contactGroupMembers.groupId, groupIds),
      ),
    )
    .groupBy(contactGroupMembers.groupId);
  for (const r of rows) counts.set(r.groupId, r.n);
  return counts;
}

export function findGroupOptions(
  tx: Tx,
  workspaceId: string,
  search: string | undefined,
  limit: number,
) {
  return tx
    .select({ id: contactGroups.id, name: contactGroups.name })
    .from(contactGroups)
    .where(
      and(
        eq(contactGroups.workspaceId, workspaceId),
        search ? ilike(contactGroups.name, `%${likeEscape(search)}%`) : undefined,
      ),
    )
    .orderBy(asc(byLowerName))
    .limit(limit);
}

/** Id and name of the workspace's groups among `ids` (any number; unknown ids are left out). */
export function findGroupNamesByIds(tx: Tx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .select({ id: contactGroups.id, name: contactGroups.name })
    .from(contactGroups)
    .where(
      and(
        eq(contactGroups.workspaceId, workspaceId),
        sql`${contactGroups.id} = any(${sql.param(ids)}::uuid[])`,
      ),
    );
}

export async function findGroupById(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .select()
    .from(contactGroups)
    .where(and(eq(contactGroups.workspaceId, workspaceId), eq(contactGroups.id, id)));
  return row ?? null;
}

/** Another group of the workspace already called `name` (case-insensitive)? */
export async function findGroupByName(
  tx: Tx,
  workspaceId: string,
  name: string,
  exceptId?: string,
) {
  const [row] = await tx
    .select({ id: contactGroups.id, name: contactGroups.name })
    .from(contactGroups)
    .where(
      and(
        eq(contactGroups.workspaceId, workspaceId),
        eq(byLowerName, name.toLowerCase()),
        exceptId ? ne(contactGroups.id, exceptId) : undefined,
      ),
    );
  return row ?? null;
}

export async function insertGroupRow(
  tx: Tx,
  values: { workspaceId: string; name: string; description?: string | null },
) {
  const [row] = await tx.insert(contactGroups).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function renameGroupRow(tx: Tx, workspaceId: string, id: string, name: string) {
  const [row] = await tx
    .update(contactGroups)
    .set({ name, updatedAt: new Date() })
    .where(and(eq(contactGroups.workspaceId, workspaceId), eq(contactGroups.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteGroupRow(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .delete(contactGroups)
    .where(and(eq(contactGroups.workspaceId, workspaceId), eq(contactGroups.id, id)))
    .returning({ id: contactGroups.id, name: contactGroups.name });
  return row ?? null;
}

/** Creates the missing names in one statement (existing ones, any case, are left alone). */
export async function insertMissingGroups(tx: Tx, workspaceId: string, names: string[]) {
  if (names.length === 0) return;
  await tx
    .insert(contactGroups)
    .values(names.map((name) => ({ workspaceId, name })))
    .onConflictDoNothing();
}

/**
 * The group each of `names` resolves to, compared as the unique index compares them
 * (Postgres `lower`, which differs from JavaScript's for a few letters such as final sigma).
 */
export async function findGroupIdsForNames(tx: Tx, workspaceId: string, names: string[]) {
  const { rows } = await tx.execute<{ input: string; id: string }>(sql`
    select n.input, g.id from unnest(${sql.param(names)}::text[]) n(input)
      join ${contactGroups} g on g.workspace_id = ${workspaceId} and lower(g.name) = lower(n.input)`);
  return rows;
}
