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

/** One set-based statement per action, whatever the number of ids (max 1,000). */
export async function bulkContacts({
  tx,
  workspace,
  actorUserId,
  meta,
  input,
}: Actor & { workspace: { id: string }; input: BulkActionInput }): Promise<{ affected: number }> {
  const workspaceId = workspace.id;
  const ids = [...new Set(input.ids)];
  switch (input.action) {
    case "addToGroup": {
      const groupId = input.groupId
        ? (await requireGroup({ tx, workspaceId, id: input.groupId })).id
        : await groupIdByName(tx, workspaceId, input.groupName);
      return { affected: await addContactsToGroup(tx, workspaceId, groupId, ids) };
    }
    case "removeFromGroup": {
      if (!input.groupId) throw badBulk("groupId", "contact.groupChoose");
      await requireGroup({ tx, workspaceId, id: input.groupId });
      return { affected: await removeContactsFromGroup(tx, workspaceId, input.groupId, ids) };
    }
    case "delete": {
      const affected = await deleteContactsByIds(tx, workspaceId, ids);
      await recordAudit(tx, meta, {
        workspaceId,
        actorUserId,
        action: "contact.bulk_deleted",
        after: { count: affected },
      });
      return { affected };
    }
    case "optOut": {
      const reason = input.reason?.trim();
      if (!reason) throw badBulk("reason", "contact.optOutReasonRequired");
      const phones = await optOutContactsByIds(tx, workspaceId, ids, reason);
      const affected = phones.length;
      await suppressPhones({ tx, workspaceId, phones, source: "manual", reason, actorUserId });
      await recordAudit(tx, meta, {
        workspaceId,
        actorUserId,
        action: "contact.bulk_opted_out",
        after: { count: affected, reason },
      });
      return { affected };
    }
  }
}

const badBulk = (field: string, key: ErrorKey) => new AppError("BAD_REQUEST", key, { field });

async function groupIdByName(tx: Tx, workspaceId: string, name: string | undefined) {
  if (!name?.trim()) throw badBulk("groupId", "contact.groupRequired");
  const ids = await ensureGroups({ tx, workspaceId, names: [name] });
  const id = ids.get(name.trim().toLowerCase());
  if (!id) throw new AppError("INTERNAL", "server.notCreated", { params: { what: "group" } });
  return id;
}
