/**
 * Contacts: the business rules behind the UI, the REST API and jobs. Every function takes one
 * options object and runs inside the caller's tenant transaction (`tx`).
 */
import type { SQL } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { maskPhone } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import {
  liftSuppression,
  suppressedSince,
  suppressPhones,
} from "@/modules/campaigns/suppressions.service";
import type { Tx } from "@/server/db/tenant";
import { diffContact } from "./contact-changes";
import { resolveSearch, type SearchTerm } from "./contact-search";
import { candidateWord, searchCandidates, wordCandidates } from "./contact-search.queries";
import {
  contactsTotal,
  contactWhere,
  countMatchesCapped,
  deleteContactRow,
  estimateMatches,
  estimateRows,
  findContactById,
  findContactIdByPhone,
  findContactsPage,
  findFewContactsPage,
  findGroupsOfContacts,
  insertContactRow,
  replaceContactGroups,
  updateContactRow,
  walkContactsPage,
  type ContactRow,
} from "./contacts.queries";
import type {
  ContactInput,
  ContactListView,
  ContactPatch,
  ContactView,
  ListContactsInput,
} from "./contacts.schema";
import type { Contact } from "./contacts.table";
import { ensureGroups } from "./groups.service";
import { copyContactToTrash } from "./contacts-trash.queries";
import { normalisePhone } from "./phone";

type WorkspaceRef = { id: string; defaultCountry: string };
/** Who acts: a signed-in user, or an API key / the CLI (no user; `actorLabel` says which). */
type Actor = {
  tx: Tx;
  actorUserId: string | null;
  actorLabel?: string | null;
  meta: RequestMeta | null;
};

// Reads -------------------------------------------------------------------------------------
function toView(row: ContactRow, groups: { id: string; name: string }[]): ContactView {
  return { ...row, attributes: row.attributes ?? {}, groups };
}

export async function listContacts({
  tx,
  workspaceId,
  input,
  defaultCountry,
}: {
  tx: Tx;
  workspaceId: string;
  input: ListContactsInput;
  /** Saves a lookup when the caller already has the workspace. */
  defaultCountry?: string;
}): Promise<ContactListView> {
  const search = await resolveSearch(tx, workspaceId, input.search, defaultCountry);
  const where = contactWhere(workspaceId, input, search);
  const candidates = search ? searchCandidates(workspaceId, search) : null;
  const filtered = !!(search || input.groupId || input.source || input.optedOut);
  const { rows, total, exact } = filtered
    ? await findFilteredPage(tx, { workspaceId, where, candidates, search, input })
    : {
        rows: await findContactsPage(tx, where, input),
        total: await contactsTotal(tx, workspaceId),
        exact: true,
      };
  const groups = await findGroupsOfContacts(
    tx,
    workspaceId,
    rows.map((r) => r.id),
  );
  return {
    rows: rows.map((r) => toView(r, groups.get(r.id) ?? [])),
    total,
    totalIsEstimate: !exact,
  };
}

/**
 * The page and its total. The capped count comes first (cheap: at most COUNT_CAP + 1 index
 * entries) and picks the page query: few matches → fetch them and sort; many → walk the
 * sort index, where a page is found within a few steps, and estimate the total.
 */
async function findFilteredPage(
  tx: Tx,
  q: {
    workspaceId: string;
    where: SQL;
    candidates: SQL | null;
    search: SearchTerm | null;
    input: ListContactsInput;
  },
): Promise<{ rows: ContactRow[]; total: number; exact: boolean }> {
  const { input } = q;
  const onlySearch = !input.groupId && !input.source && !input.optedOut;
  const candidatesMatch =
    onlySearch && (q.search?.kind === "phone" || q.search?.words.length === 1);
  const { n, exact } = await countMatchesCapped(tx, q.where, q.candidates, candidatesMatch);
  if (exact) {
    const offset = (input.page - 1) * input.pageSize;
    if (n <= offset) return { rows: [], total: n, exact };
    // Fetching every match costs a random read each; walking the sort index costs about
    // (rows up to this page) × (all contacts / matches) mostly sequential reads.
    const walk = (input.page * input.pageSize * (await contactsTotal(tx, q.workspaceId))) / n;
    const rows =
      walk < WALK_OVER_FETCH * n
        ? await walkContactsPage(tx, q.where, input)
        : await findFewContactsPage(tx, q.where, q.candidates, input);
    return { rows, total: n, exact };
  }
  const rows = await walkContactsPage(tx, q.where, input);
  return { rows, total: Math.max(n, await estimateTotal(tx, q)), exact };
}
/** How many sort-index rows walked cost about as much as fetching one match at random. */
const WALK_OVER_FETCH = 3;

/**
 * The planner's estimate: the other filters among the search's candidates, times the share
 * of contacts each further word keeps (the planner cannot judge a word pattern on its own).
 */
async function estimateTotal(
  tx: Tx,
  q: {
    workspaceId: string;
    candidates: SQL | null;
    search: SearchTerm | null;
    input: ListContactsInput;
  },
): Promise<number> {
  const others = contactWhere(q.workspaceId, q.input, null);
  let estimate = await estimateMatches(tx, others, q.candidates);
  if (q.search?.kind === "words" && q.search.words.length > 1) {
    const all = Math.max(1, await contactsTotal(tx, q.workspaceId));
    const first = candidateWord(q.search.words);
    for (const word of q.search.words.filter((w) => w !== first)) {
      const withWord = await estimateRows(tx, wordCandidates(q.workspaceId, word));
      estimate *= Math.min(1, withWord / all);
    }
  }
  return Math.round(estimate);
}

export async function getContact({
  tx,
  workspaceId,
  id,
}: {
  tx: Tx;
  workspaceId: string;
  id: string;
}): Promise<ContactView> {
  const row = await findContactById(tx, workspaceId, id);
  if (!row) throw new AppError("NOT_FOUND", "contact.notFound");
  const groups = await findGroupsOfContacts(tx, workspaceId, [id]);
  return toView(row, groups.get(id) ?? []);
}

// Writes ------------------------------------------------------------------------------------
function requirePhone(raw: string, defaultCountry: string): string {
  const result = normalisePhone(raw, defaultCountry);
  if (!result.ok) {
    throw new AppError("BAD_REQUEST", result.reason.key, {
      params: result.reason.params,
      field: "phone",
    });
  }
  return result.e164;
}

const phoneTaken = () => new AppError("CONFLICT", "contact.phoneTaken", { field: "phone" });

const blankToNull = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

async function setGroupsByName(tx: Tx, workspaceId: string, contactId: string, names: string[]) {
  const ids = await ensureGroups({ tx, workspaceId, names });
  await replaceContactGroups(tx, workspaceId, contactId, [...new Set(ids.values())]);
}

export async function createContact({
  tx,
  workspace,
  actorUserId,
  actorLabel,
  meta,
  input,
  source,
}: Actor & {
  workspace: WorkspaceRef;
  input: ContactInput;
  source: "manual" | "api";
}): Promise<ContactView> {
  const phone = requirePhone(input.phone, workspace.defaultCountry);
  const row = await insertContactRow(tx, {
    workspaceId: workspace.id,
    phone,
    nombre: blankToNull(input.nombre),
    sustantivo: blankToNull(input.sustantivo),
    attributes: input.attributes ?? {},
    source,
    optInSource: input.optIn?.source ?? null,
    optInAt: input.optIn ? (input.optIn.at ?? new Date()) : null,
  });
  if (!row) throw phoneTaken();
  // A phone that opted out before (even as a since-deleted contact) stays opted out.
  const suppressed = (await suppressedSince(tx, workspace.id, [phone])).get(phone);
  if (suppressed) {
    await updateContactRow(tx, workspace.id, row.id, {
      optedOutAt: suppressed,
      optOutReason: "suppressed",
    });
  }
  if (input.groups?.length) await setGroupsByName(tx, workspace.id, row.id, input.groups);
  await recordAudit(tx, meta, {
    workspaceId: workspace.id,
    actorUserId,
    actorLabel,
    action: "contact.created",
    target: { type: "contact", id: row.id },
    after: { phone: maskPhone(phone), source },
  });
  return getContact({ tx, workspaceId: workspace.id, id: row.id });
}

export async function updateContact({
  tx,
  workspace,
  actorUserId,
  actorLabel,
  meta,
  id,
  input,
}: Actor & { workspace: WorkspaceRef; id: string; input: ContactPatch }): Promise<ContactView> {
  const current = await findContactById(tx, workspace.id, id);
  if (!current) throw new AppError("NOT_FOUND", "contact.notFound");
  const values: Partial<Contact> = {};
  if (input.phone !== undefined) {
    const phone = requirePhone(input.phone, workspace.defaultCountry);
    if (phone !== current.phone) {
      // Checked first so a duplicate is a clear 409, not an aborted transaction.
      if (await findContactIdByPhone(tx, workspace.id, phone)) throw phoneTaken();
      values.phone = phone;
      // A phone that opted out before (under any contact) stays opted out, as on create.
      const suppressed = (await suppressedSince(tx, workspace.id, [phone])).get(phone);
      if (suppressed && !current.optedOutAt) {
        values.optedOutAt = suppressed;
        values.optOutReason = "suppressed";
      }
    }
  }
  if (input.nombre !== undefined) values.nombre = blankToNull(input.nombre);
  if (input.sustantivo !== undefined) values.sustantivo = blankToNull(input.sustantivo);
  if (input.attributes !== undefined) values.attributes = input.attributes;
  if (input.optIn) {
    values.optInSource = input.optIn.source;
    values.optInAt = input.optIn.at ?? new Date();
  }
  const groupsBefore =
    input.groups === undefined
      ? undefined
      : ((await findGroupsOfContacts(tx, workspace.id, [id])).get(id) ?? []).map((g) => g.name);
  const diff = diffContact(
    current,
    values,
    groupsBefore && input.groups ? { before: groupsBefore, after: input.groups } : undefined,
  );
  if (!diff) return getContact({ tx, workspaceId: workspace.id, id });
  if (Object.keys(values).length > 0) await updateContactRow(tx, workspace.id, id, values);
  if (input.groups !== undefined) await setGroupsByName(tx, workspace.id, id, input.groups);
  // Only what changed: the audit trail is read as a history, not as a copy of every save.
  await recordAudit(tx, meta, {
    workspaceId: workspace.id,
    actorUserId,
    actorLabel,
    action: "contact.updated",
    target: { type: "contact", id },
    before: diff.before,
    after: diff.after,
  });
  return getContact({ tx, workspaceId: workspace.id, id });
}

export async function deleteContact({
  tx,
  workspaceId,
  actorUserId,
  actorLabel,
  meta,
  id,
}: Actor & { workspaceId: string; id: string }) {
  // Kept a few minutes for the list's Undo (contacts-undo.service.ts).
  await copyContactToTrash(tx, workspaceId, id, actorUserId);
  const row = await deleteContactRow(tx, workspaceId, id);
  if (!row) throw new AppError("NOT_FOUND", "contact.notFound");
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    actorLabel,
    action: "contact.deleted",
    target: { type: "contact", id },
    before: { phone: maskPhone(row.phone) },
  });
  return { id };
}

/** Opts a contact out (never messaged again) or back in; audited with the reason. */
export async function setOptOut({
  tx,
  workspaceId,
  actorUserId,
  actorLabel,
  meta,
  id,
  optedOut,
  reason,
}: Actor & {
  workspaceId: string;
  id: string;
  optedOut: boolean;
  reason?: string | null;
}): Promise<ContactView> {
  const why = reason?.trim() || null;
  if (optedOut && !why) {
    throw new AppError("BAD_REQUEST", "contact.optOutReasonRequired", { field: "reason" });
  }
  const current = await findContactById(tx, workspaceId, id);
  if (!current) throw new AppError("NOT_FOUND", "contact.notFound");
  if ((current.optedOutAt !== null) === optedOut) return getContact({ tx, workspaceId, id });
  // The suppression list (by phone) is what the send path obeys: it follows every opt-out,
  // and only an opt-in with a reason (new consent) lifts it.
  if (optedOut) {
    await suppressPhones({
      tx,
      workspaceId,
      phones: [current.phone],
      source: actorUserId ? "manual" : "api",
      reason: why,
      actorUserId,
    });
  } else {
    await liftSuppression({
      tx,
      workspaceId,
      phone: current.phone,
      reason: why,
      actorUserId,
      actorLabel,
      meta,
    });
  }
  const optedOutAt = optedOut ? new Date() : null;
  await updateContactRow(tx, workspaceId, id, {
    optedOutAt,
    optOutReason: optedOut ? why : null,
    // Re-subscribing is new consent: its reason becomes the contact's opt-in evidence (the
    // earlier evidence stays in the audit entry's `before`).
    ...(!optedOut && { optInSource: why, optInAt: new Date() }),
  });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    actorLabel,
    action: optedOut ? "contact.opted_out" : "contact.opted_in",
    target: { type: "contact", id },
    before: {
      optedOutAt: current.optedOutAt,
      optOutReason: current.optOutReason,
      ...(!optedOut && { optInSource: current.optInSource, optInAt: current.optInAt }),
    },
    after: { optedOutAt, reason: why, phone: maskPhone(current.phone) },
  });
  return getContact({ tx, workspaceId, id });
}

// Bulk actions live in their own file; re-exported so the service keeps one entry point.
export { bulkContacts } from "./contacts-bulk.service";
