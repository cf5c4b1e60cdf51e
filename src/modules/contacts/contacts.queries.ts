/**
 * Drizzle reads/writes for contacts; every statement is scoped by workspace (RLS checks again).
 * Searches and sorts are written to hit the indexes (drizzle/0002, 0003, 0012) at 2M rows, as
 * the app role, i.e. under row-level security.
 */
import {
  and,
  asc,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  notInArray,
  sql,
  type AnyColumn,
  type SQL,
  type SQLWrapper,
} from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import {
  contactCountDeltas,
  contactGroupMembers,
  contactGroups,
  contacts,
  type Contact,
  type ContactSource,
} from "./contacts.table";
import type { ContactFilters } from "./contacts.schema";
import type { SearchTerm } from "./contact-search";
import { searchRowCondition } from "./contact-search.queries";

/** What read-only queries need: a tenant transaction, or the export's read-only snapshot. */
export type Reader = Pick<Tx, "select" | "execute">;

/** Exact counts of a filtered list stop here; past it the list shows an estimate. */
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

export function contactWhere(
  workspaceId: string,
  filters: Omit<ContactFilters, "sort" | "dir" | "search">,
  search: SearchTerm | null,
): SQL {
  const parts: (SQL | undefined)[] = [eq(contacts.workspaceId, workspaceId)];
  if (search) parts.push(searchRowCondition(search));
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
 * through the most selective index — the search's candidates when there is a search — then
 * sort them. (Walking the sort index while filtering could read the whole workspace when
 * matches are rare.) The LIMITs keep the subqueries from being flattened into the sorted one.
 */
export async function findFewContactsPage(
  tx: Tx,
  where: SQL,
  candidates: SQL | null,
  opts: PageOptions,
): Promise<ContactRow[]> {
  const m = tx
    .select({ ...contactColumns, nameKey: contacts.nameKey })
    .from(contacts)
    .where(candidates ? and(where, amongCandidates(candidates)) : where)
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

/** At most COUNT_CAP + 1 candidate ids, read from their index (a range, never a scan). */
const firstCandidates = (candidates: SQL) =>
  sql`select id from (${candidates} limit ${COUNT_CAP + 1}) first_candidates`;

const amongCandidates = (candidates: SQL) =>
  sql`${contacts.id} in (${firstCandidates(candidates)})`;

/**
 * The number of matches when it is cheap to know exactly: never more work than reading
 * COUNT_CAP + 1 index entries (of the candidates, or of the filtered contacts). `exact` is
 * false when there were more to read; `n` is then only a lower bound.
 */
export async function countMatchesCapped(
  tx: Tx,
  where: SQL,
  candidates: SQL | null,
  /** The candidates are exactly the matches (one word or a phone, no other filter). */
  candidatesMatch = false,
): Promise<{ n: number; exact: boolean }> {
  if (candidates) {
    // Candidates first (index only): past the cap, probing each contact would be wasted work.
    const scanned = await countRows(tx, firstCandidates(candidates));
    if (scanned > COUNT_CAP) return { n: COUNT_CAP + 1, exact: false };
    if (candidatesMatch) {
      const n = await countRows(
        tx,
        sql`select distinct id from (${firstCandidates(candidates)}) c`,
      );
      return { n, exact: true };
    }
    const { rows } = await tx.execute<{ n: number }>(
      sql`select count(*)::int as n from ${contacts} where ${amongCandidates(candidates)} and ${where}`,
    );
    return { n: rows[0]?.n ?? 0, exact: true };
  }
  const n = await countRows(
    tx,
    sql`select 1 from ${contacts} where ${where} limit ${COUNT_CAP + 1}`,
  );
  return { n, exact: n <= COUNT_CAP };
}

async function countRows(tx: Tx, query: SQL): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from (${query}) counted`,
  );
  return rows[0]?.n ?? 0;
}

/** The planner's estimate of the rows `query` returns (EXPLAIN: nothing is read). */
export async function estimateRows(tx: Tx, query: SQL): Promise<number> {
  const { rows } = await tx.execute<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    sql`explain (format json) ${query}`,
  );
  return rows[0]?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
}

/** The planner's estimate of the contacts matching `where` among `candidates`. */
export function estimateMatches(tx: Tx, where: SQL, candidates: SQL | null) {
  const among = candidates ? sql` and ${contacts.id} in (${candidates})` : sql``;
  return estimateRows(tx, sql`select 1 from ${contacts} where ${where}${among}`);
}

/**
 * A page walking the sort index, for a filter known to match many contacts. The planner
 * cannot know that (it guesses a pattern match is rare, and would rather read every match
 * and sort them): sorting is ruled out for this one statement, so an ordered index is walked
 * and stops at the page.
 */
export async function walkContactsPage(tx: Tx, where: SQL, opts: PageOptions) {
  const { rows } = await tx.execute<{ prev: string }>(
    sql`select current_setting('enable_sort') as prev, set_config('enable_sort', 'off', true)`,
  );
  try {
    return await findContactsPage(tx, where, opts);
  } finally {
    await tx.execute(sql`select set_config('enable_sort', ${rows[0]?.prev ?? "on"}, true)`);
  }
}

/**
 * The workspace's number of contacts: the sum of the deltas the contact triggers append
 * (drizzle/0012). Past a few dozen deltas they are folded into one row first — safe
 * alongside other folds and writers, as each fold only replaces the rows it deleted.
 */
export async function contactsTotal(tx: Tx, workspaceId: string): Promise<number> {
  const read = async () => {
    const [row] = await tx
      .select({
        n: sql<string>`coalesce(sum(${contactCountDeltas.delta}), 0)::text`,
        rows: sql<number>`count(*)::int`,
      })
      .from(contactCountDeltas)
      .where(eq(contactCountDeltas.workspaceId, workspaceId));
    return { n: Number(row?.n ?? 0), rows: row?.rows ?? 0 };
  };
  const { n, rows } = await read();
  if (rows <= FOLD_AFTER) return n;
  await tx.execute(
    sql`with gone as (
          delete from ${contactCountDeltas} where ${contactCountDeltas.workspaceId} = ${workspaceId}
          returning ${contactCountDeltas.delta})
        insert into ${contactCountDeltas} (workspace_id, delta)
        select ${workspaceId}, sum(delta) from gone having count(*) > 0`,
  );
  return (await read()).n;
}
const FOLD_AFTER = 50;

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
