/**
 * Undo, for a few seconds after a delete or an opt-out (the list's toast). A deleted contact
 * waits in contact_trash and comes back whole — same id, values, consent evidence and groups.
 * An opt-out is undone only by the person who made it, by hand, within the window: the contact
 * returns to exactly what it was (its original opt-in evidence untouched — undoing is not a
 * re-subscription) and the suppression it added is lifted, audited. Sends the opt-out
 * canceled stay canceled.
 */
import { AppError } from "@/lib/errors";
import { maskPhone } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { findSuppression, liftSuppression } from "@/modules/campaigns/suppressions.service";
import { systemDb } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { findContactById, updateContactRow } from "./contacts.queries";
import type { ContactView } from "./contacts.schema";
import { getContact } from "./contacts.service";
import { purgeTrash, restoreFromTrash } from "./contacts-trash.queries";

/** How long Undo works on the server; the toast offers it for less. */
export const UNDO_WINDOW_SECONDS = 60;
/** Deleted contacts are purged from the trash after this (by the 15-minute maintenance job). */
export const TRASH_RETENTION_MINUTES = 10;

type Undo = {
  tx: Tx;
  workspaceId: string;
  actorUserId: string | null;
  actorLabel?: string | null;
  meta: RequestMeta | null;
  id: string;
};

const windowStart = () => new Date(Date.now() - UNDO_WINDOW_SECONDS * 1000);

export async function restoreDeletedContact({
  tx,
  workspaceId,
  actorUserId,
  actorLabel,
  meta,
  id,
}: Undo): Promise<ContactView> {
  const restored = await restoreFromTrash(tx, workspaceId, id, windowStart());
  if (!restored) throw new AppError("CONFLICT", "contact.undoExpired");
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    actorLabel,
    action: "contact.restored",
    target: { type: "contact", id },
    after: { phone: maskPhone(restored.phone) },
  });
  return getContact({ tx, workspaceId, id });
}

export async function undoOptOut({
  tx,
  workspaceId,
  actorUserId,
  actorLabel,
  meta,
  id,
}: Undo): Promise<ContactView> {
  const current = await findContactById(tx, workspaceId, id);
  if (!current) throw new AppError("NOT_FOUND", "contact.notFound");
  if (!current.optedOutAt) return getContact({ tx, workspaceId, id });
  const suppression = await findSuppression(tx, workspaceId, current.phone);
  // Only this person's own opt-out, just made by hand — never a STOP reply or an older one.
  const own =
    !!actorUserId &&
    suppression?.source === "manual" &&
    suppression.createdBy === actorUserId &&
    current.optedOutAt > windowStart();
  if (!own) throw new AppError("CONFLICT", "contact.undoExpired");
  await liftSuppression({
    tx,
    workspaceId,
    phone: current.phone,
    reason: "Opt-out undone right after it was made",
    actorUserId,
    actorLabel,
    meta,
  });
  await updateContactRow(tx, workspaceId, id, { optedOutAt: null, optOutReason: null });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    actorLabel,
    action: "contact.opt_out_undone",
    target: { type: "contact", id },
    before: { optedOutAt: current.optedOutAt, optOutReason: current.optOutReason },
    after: { optedOutAt: null, phone: maskPhone(current.phone) },
  });
  return getContact({ tx, workspaceId, id });
}

/** Deleted contacts past the trash retention, gone for good (as the owner, all workspaces). */
export function purgeContactTrash(): Promise<number> {
  return purgeTrash(systemDb(), new Date(Date.now() - TRASH_RETENTION_MINUTES * 60_000));
}
