/**
 * Opt-outs that arrive by phone (an inbound STOP reply): the contact, when there is one, is
 * marked opted out and the change audited. The suppression list (campaigns) is the rule the
 * send path enforces; this keeps the contacts list telling the same story.
 */
import { maskPhone } from "@/lib/logger";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import { findContactById, findContactIdByPhone, updateContactRow } from "./contacts.queries";

export async function markOptedOutByPhone({
  tx,
  workspaceId,
  phone,
  reason,
}: {
  tx: Tx;
  workspaceId: string;
  phone: string;
  reason: string;
}): Promise<boolean> {
  const id = await findContactIdByPhone(tx, workspaceId, phone);
  if (!id) return false;
  const contact = await findContactById(tx, workspaceId, id);
  if (!contact || contact.optedOutAt) return false;
  const optedOutAt = new Date();
  await updateContactRow(tx, workspaceId, contact.id, { optedOutAt, optOutReason: reason });
  await recordAudit(tx, null, {
    workspaceId,
    actorUserId: null,
    actorLabel: "inbound",
    action: "contact.opted_out",
    target: { type: "contact", id: contact.id },
    before: { optedOutAt: null },
    after: { optedOutAt, reason, phone: maskPhone(phone) },
  });
  return true;
}
