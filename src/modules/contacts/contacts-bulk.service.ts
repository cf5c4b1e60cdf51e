import type { ErrorKey } from "@/lib/error-ref";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import { suppressPhones } from "@/modules/campaigns/suppressions.service";
import {
  addContactsToGroup,
  deleteContactsByIds,
  optOutContactsByIds,
  removeContactsFromGroup,
} from "./contacts-bulk.queries";
import type { BulkActionInput } from "./contacts.schema";
import { ensureGroups, requireGroup } from "./groups.service";

type Actor = { tx: Tx; actorUserId: string | null; meta: RequestMeta | null };

export type BulkAction = BulkActionInput["action"];
/** What an action needs besides the ids: the group (resolved once) or the opt-out reason. */
export type BulkParams = { groupId?: string; reason?: string };

/** The audit action of each bulk action. */
export const BULK_AUDIT_ACTIONS = {
  addToGroup: "contact.bulk_grouped",
  removeFromGroup: "contact.bulk_ungrouped",
  delete: "contact.bulk_deleted",
  optOut: "contact.bulk_opted_out",
} as const satisfies Record<BulkAction, string>;

/**
 * The group or reason an action needs, checked once (a new group name is created here): the
 * same for a selection of ids and for every batch of a run over a filter.
 */
export async function resolveBulkParams(
  tx: Tx,
  workspaceId: string,
  input: Pick<BulkActionInput, "action" | "groupId" | "groupName" | "reason">,
): Promise<BulkParams> {
  switch (input.action) {
    case "addToGroup":
      return {
        groupId: input.groupId
          ? (await requireGroup({ tx, workspaceId, id: input.groupId })).id
          : await groupIdByName(tx, workspaceId, input.groupName),
      };
    case "removeFromGroup":
      if (!input.groupId) throw badBulk("groupId", "contact.groupChoose");
      return { groupId: (await requireGroup({ tx, workspaceId, id: input.groupId })).id };
    case "optOut": {
      const reason = input.reason?.trim();
      if (!reason) throw badBulk("reason", "contact.optOutReasonRequired");
      return { reason };
    }
    case "delete":
      return {};
  }
}

/** One set-based statement per action, whatever the number of ids (max 1,000). */
export async function applyBulkAction(
  tx: Tx,
  {
    workspaceId,
    actorUserId,
    action,
    ids,
    params,
  }: {
    workspaceId: string;
    actorUserId: string | null;
    action: BulkAction;
    ids: string[];
    params: BulkParams;
  },
): Promise<number> {
  switch (action) {
    case "addToGroup":
      return addContactsToGroup(tx, workspaceId, params.groupId!, ids);
    case "removeFromGroup":
      return removeContactsFromGroup(tx, workspaceId, params.groupId!, ids);
    case "delete":
      return deleteContactsByIds(tx, workspaceId, ids);
    case "optOut": {
      const reason = params.reason!;
      const phones = await optOutContactsByIds(tx, workspaceId, ids, reason);
      await suppressPhones({ tx, workspaceId, phones, source: "manual", reason, actorUserId });
      return phones.length;
    }
  }
}

/** A bulk action on selected contacts (at most 1,000 ids), audited with its count. */
export async function bulkContacts({
  tx,
  workspace,
  actorUserId,
  meta,
  input,
}: Actor & { workspace: { id: string }; input: BulkActionInput }): Promise<{ affected: number }> {
  const workspaceId = workspace.id;
  const params = await resolveBulkParams(tx, workspaceId, input);
  const ids = [...new Set(input.ids)];
  const affected = await applyBulkAction(tx, {
    workspaceId,
    actorUserId,
    action: input.action,
    ids,
    params,
  });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: BULK_AUDIT_ACTIONS[input.action],
    after: { count: affected, selected: ids.length, ...params },
  });
  return { affected };
}

const badBulk = (field: string, key: ErrorKey) => new AppError("BAD_REQUEST", key, { field });

async function groupIdByName(tx: Tx, workspaceId: string, name: string | undefined) {
  if (!name?.trim()) throw badBulk("groupId", "contact.groupRequired");
  const ids = await ensureGroups({ tx, workspaceId, names: [name] });
  const id = ids.get(name.trim().toLowerCase());
  if (!id) throw new AppError("INTERNAL", "server.notCreated", { params: { what: "group" } });
  return id;
}
