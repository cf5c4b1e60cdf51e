import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import type { GroupView } from "./contacts.schema";
import {
  countMembers,
  deleteGroupRow,
  findGroupById,
  findGroupByName,
  findGroupNamesByIds,
  findGroupOptions,
  findGroupIdsForNames,
  findGroupsPage,
  insertGroupRow,
  insertMissingGroups,
  renameGroupRow,
} from "./groups.queries";

type Scope = { tx: Tx; workspaceId: string };
type Actor = { actorUserId: string | null; meta: RequestMeta | null };

const nameTaken = (name: string) =>
  new AppError("CONFLICT", "group.nameTaken", { params: { name }, field: "name" });

export async function listGroups({
  tx,
  workspaceId,
  search,
  page,
  pageSize,
}: Scope & { search?: string; page: number; pageSize: number }): Promise<{
  rows: GroupView[];
  total: number;
}> {
  const { rows, total } = await findGroupsPage(tx, workspaceId, { page, pageSize, search });
  const counts = await countMembers(
    tx,
    workspaceId,
    rows.map((r) => r.id),
  );
  return { rows: rows.map((r) => ({ ...r, memberCount: counts.get(r.id) ?? 0 })), total };
}

/** Id and name only, for pickers and filters (no counts). */
export function listGroupOptions({ tx, workspaceId, search }: Scope & { search?: string }) {
  return findGroupOptions(tx, workspaceId, search, 200);
}

/** Names of the groups among `ids` (dashboards label their rows with it), by id. */
export async function groupNamesByIds({ tx, workspaceId, ids }: Scope & { ids: string[] }) {
  const rows = await findGroupNamesByIds(tx, workspaceId, [...new Set(ids)]);
  return new Map(rows.map((g) => [g.id, g.name]));
}

export async function requireGroup({ tx, workspaceId, id }: Scope & { id: string }) {
  const group = await findGroupById(tx, workspaceId, id);
  if (!group) throw new AppError("NOT_FOUND", "group.notFound");
  return group;
}

export async function createGroup({
  tx,
  workspaceId,
  actorUserId,
  meta,
  name,
  description,
}: Scope & Actor & { name: string; description?: string | null }) {
  const row = await insertGroupRow(tx, {
    workspaceId,
    name: name.trim(),
    description: description ?? null,
  });
  if (!row) throw nameTaken(name);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "group.created",
    target: { type: "contact_group", id: row.id },
    after: { name: row.name },
  });
  return row;
}

export async function renameGroup({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
  name,
}: Scope & Actor & { id: string; name: string }) {
  const clean = name.trim();
  const current = await requireGroup({ tx, workspaceId, id });
  if (await findGroupByName(tx, workspaceId, clean, id)) throw nameTaken(clean);
  const row = await renameGroupRow(tx, workspaceId, id, clean);
  if (!row) throw new AppError("NOT_FOUND", "group.notFound");
  if (current.name !== row.name) {
    await recordAudit(tx, meta, {
      workspaceId,
      actorUserId,
      action: "group.renamed",
      target: { type: "contact_group", id },
      before: { name: current.name },
      after: { name: row.name },
    });
  }
  return row;
}

/** Deletes the group and its memberships; the contacts stay. */
export async function deleteGroup({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
}: Scope & Actor & { id: string }) {
  const counts = await countMembers(tx, workspaceId, [id]);
  const row = await deleteGroupRow(tx, workspaceId, id);
  if (!row) throw new AppError("NOT_FOUND", "group.notFound");
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "group.deleted",
    target: { type: "contact_group", id },
    before: { name: row.name, members: counts.get(id) ?? 0 },
  });
  return { id };
}

/**
 * Group ids for `names` (case-insensitive), creating the missing ones: one insert and one
 * select whatever the number of names. Keys of the result are lowercased names. Used by the
 * contact form and bulk actions; the CSV importer resolves a whole batch's groups on its raw
 * connection instead (`resolveGroups`, import/batch-writer.ts).
 */
export async function ensureGroups({
  tx,
  workspaceId,
  names,
}: Scope & { names: readonly string[] }): Promise<Map<string, string>> {
  const wanted = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name && !wanted.has(name.toLowerCase())) wanted.set(name.toLowerCase(), name);
  }
  const ids = new Map<string, string>();
  if (wanted.size === 0) return ids;
  await insertMissingGroups(tx, workspaceId, [...wanted.values()]);
  for (const g of await findGroupIdsForNames(tx, workspaceId, [...wanted.values()])) {
    ids.set(g.input.toLowerCase(), g.id);
  }
  return ids;
}
