/**
 * Drizzle reads/writes for contacts; every statement is scoped by workspace (RLS checks again).
 * Searches and sorts are written to hit the indexes (drizzle/0002, 0003) at 1M rows, as the
 * app role, i.e. under row-level security.
 */
import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  lt,
  inArray,
  isNotNull,
  isNull,
  notInArray,
  or,
  sql,
  type AnyColumn,
  type SQL,
  type SQLWrapper,
} from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import {
  contactGroupMembers,
  contactGroups,
  contacts,
  type Contact,
  type ContactSource,
} from "./contacts.table";
import type { ContactFilters } from "./contacts.schema";

/** What read-only queries need: a tenant transaction, or the export's read-only snapshot. */
export type Reader = Pick<Tx, "select" | "execute">;

/** Exact counts stop here; past it the list says "10,000+" instead of counting 1M rows. */
export const COUNT_CAP = 10_000;

export const contactColumns = {
  id: contacts.id,
  phone: contacts.phone,
  nombre: contacts.nombre,
  sustantivo: contacts.sustantivo,
  attributes: contacts.attributes,
  source: contacts.source,
  optInSource: contacts.optInSource,
  optInAt: contacts.optInAt,
  optedOutAt: contacts.optedOutAt,
  optOutReason: contacts.optOutReason,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};
export type ContactRow = Pick<Contact, keyof typeof contactColumns>;

/** A search term, already interpreted: phone prefixes (E.164) or a name prefix. */
export type SearchTerm = { kind: "phone"; prefixes: string[] } | { kind: "name"; prefix: string };

/** The smallest string above every string that starts with `prefix` (byte order). */
const prefixUpperBound = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

// Under row-level security only leakproof operators (text >=, <) on plain columns can become
// index conditions — not LIKE, not expressions — so prefix search is a range over a COLLATE
// "C" column: `phone` (contact_workspace_phone_key) or `name_key` = st_fold(nombre)
// (contact_name_key_idx). In byte order U+10FFFF sorts after any character that can follow.
function searchCondition(term: SearchTerm): SQL | undefined {
  if (term.kind === "phone") {
    // Phone prefixes are "+digits", so the upper bound is the next byte.
    return or(
      ...term.prefixes.map((p) =>
        and(gte(contacts.phone, p), lt(contacts.phone, prefixUpperBound(p))),
      ),
    );
  }
  const folded = sql`st_fold(${term.prefix})`;
  return and(
    sql`${contacts.nameKey} >= ${folded}`,
    sql`${contacts.nameKey} < ${folded} || chr(1114111)`,
  );
}

export function contactWhere(
  workspaceId: string,
  filters: Omit<ContactFilters, "sort" | "dir" | "search">,
  search: SearchTerm | null,
): SQL {
  const parts: (SQL | undefined)[] = [eq(contacts.workspaceId, workspaceId)];
  if (search) parts.push(searchCondition(search));
  if (filters.source) parts.push(eq(contacts.source, filters.source as ContactSource));
  if (filters.optedOut === "only") parts.push(isNotNull(contacts.optedOutAt));
  if (filters.optedOut === "exclude") parts.push(isNull(contacts.optedOutAt));
  if (filters.groupId) {
    parts.push(sql`exists (select 1 from ${contactGroupMembers}
      where ${contactGroupMembers.groupId} = ${filters.groupId}
        and ${contactGroupMembers.workspaceId} = ${workspaceId}
        and ${contactGroupMembers.contactId} = ${contacts.id})`);
  }
  return and(...parts)!;
}

type SortColumns = Record<"id" | "phone" | "nameKey" | "createdAt", AnyColumn | SQLWrapper>;
type PageOptions = {
  sort: ContactFilters["sort"];
  dir: ContactFilters["dir"];
  page: number;
  pageSize: number;
};

function contactOrder(
  c: SortColumns,
  sort: ContactFilters["sort"],
  dir: ContactFilters["dir"],
): SQL[] {
  const by = dir === "asc" ? asc : desc;
  switch (sort) {
    case "phone":
      return [by(c.phone)];
    case "nombre":
      // The folded name: accent/case-insensitive order, served by contact_name_key_idx.
      return [by(c.nameKey), by(c.id)];
    default:
      return [by(c.createdAt), by(c.id)];
  }
}

/** A page in index order: right when many contacts match (a few index steps find a page). */
export function findContactsPage(tx: Tx, where: SQL, opts: PageOptions): Promise<ContactRow[]> {
  return tx
    .select(contactColumns)
    .from(contacts)
    .where(where)
    .orderBy(...contactOrder(contacts, opts.sort, opts.dir))
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize);
}

/**
 * A page of a filtered list known to match at most COUNT_CAP contacts: fetch the matches
 * through the most selective index, then sort them. (Walking the sort index while filtering
 * could read the whole workspace when matches are rare.) The LIMIT keeps the subquery from
 * being flattened into the outer, sorted query.
 */
export async function findFewContactsPage(
  tx: Tx,
  where: SQL,
  opts: PageOptions,
): Promise<ContactRow[]> {
  const m = tx
    .select({ ...contactColumns, nameKey: contacts.nameKey })
    .from(contacts)
    .where(where)
    .limit(COUNT_CAP + 1)
    .as("matches");
  const rows = await tx
    .select()
    .from(m)
    .orderBy(...contactOrder(m, opts.sort, opts.dir))
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize);
  return rows.map(({ nameKey: _, ...row }) => row);
}

/** Exact count up to COUNT_CAP, never more work than reading COUNT_CAP + 1 index entries. */
export async function countContactsCapped(tx: Tx, where: SQL): Promise<number> {
  const capped = tx
    .select({ one: sql`1` })
    .from(contacts)
    .where(where)
    .limit(COUNT_CAP + 1)
    .as("capped");
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(capped);
  return row?.n ?? 0;
}

/** Groups of the given contacts, in one query (no N+1). */
export async function findGroupsOfContacts(tx: Reader, workspaceId: string, contactIds: string[]) {
  const byContact = new Map<string, { id: string; name: string }[]>();
  if (contactIds.length === 0) return byContact;
  const rows = await tx
    .select({
      contactId: contactGroupMembers.contactId,
      id: contactGroups.id,
      name: contactGroups.name,
    })
    .from(contactGroupMembers)
    .innerJoin(contactGroups, eq(contactGroups.id, contactGroupMembers.groupId))
    .where(
      and(
        eq(contactGroupMembers.workspaceId, workspaceId),
        inArray(contactGroupMembers.contactId, contactIds),
      ),
    )
    .orderBy(asc(sql`lower(${contactGroups.name})`));
  for (const r of rows) {
    const list = byContact.get(r.contactId) ?? [];
    list.push({ id: r.id, name: r.name });
    byContact.set(r.contactId, list);
  }
  return byContact;
}

export async function findContactById(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .select(contactColumns)
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
  return row ?? null;
}

export async function findContactIdByPhone(tx: Tx, workspaceId: string, phone: string) {
  const [row] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.phone, phone)));
  return row?.id ?? null;
}

export async function insertContactRow(tx: Tx, values: typeof contacts.$inferInsert) {
  const [row] = await tx
    .insert(contacts)
    .values(values)
    .onConflictDoNothing({ target: [contacts.workspaceId, contacts.phone] })
    .returning({ id: contacts.id });
  return row ?? null;
}

export async function updateContactRow(
  tx: Tx,
  workspaceId: string,
  id: string,
  values: Partial<typeof contacts.$inferInsert>,
) {
  const [row] = await tx
    .update(contacts)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
    .returning({ id: contacts.id });
  return row ?? null;
}

export async function deleteContactRow(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .delete(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
    .returning({ id: contacts.id, phone: contacts.phone });
  return row ?? null;
}

/** Makes the contact's groups exactly `groupIds`. */
export async function replaceContactGroups(
  tx: Tx,
  workspaceId: string,
  contactId: string,
  groupIds: string[],
) {
  await tx
    .delete(contactGroupMembers)
    .where(
      and(
        eq(contactGroupMembers.workspaceId, workspaceId),
        eq(contactGroupMembers.contactId, contactId),
        groupIds.length ? notInArray(contactGroupMembers.groupId, groupIds) : undefined,
      ),
    );
  if (groupIds.length === 0) return;
  await tx
    .insert(contactGroupMembers)
    .values(groupIds.map((groupId) => ({ workspaceId, groupId, contactId })))
    .onConflictDoNothing();
}

// Export ------------------------------------------------------------------------------------
/** One keyset page (`id > after`, by id), so deep pages cost the same as the first. */
export function findContactsAfter(tx: Reader, where: SQL, after: string | null, limit: number) {
  return tx
    .select(contactColumns)
    .from(contacts)
    .where(after ? and(where, gt(contacts.id, after)) : where)
    .orderBy(asc(contacts.id))
    .limit(limit);
}

/** Attribute keys used by the matching contacts (export columns), sorted, at most `limit`. */
export async function findAttributeKeys(tx: Reader, where: SQL, limit: number): Promise<string[]> {
  const rows = await tx.execute<{ key: string }>(
    sql`select distinct k.key from ${contacts}, jsonb_object_keys(${contacts.attributes}) as k(key)
        where ${where} order by k.key limit ${limit}`,
  );
  return rows.rows.map((r) => r.key);
}
