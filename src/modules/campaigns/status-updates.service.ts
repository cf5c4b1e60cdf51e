/**
 * What providers tell us after a send: receipts that move recipients forward, and inbound
 * replies — a STOP/BAJA-style reply opts the sender out at once (suppression list, pending
 * sends cancelled, contact marked opted out).
 */
import { withTenant } from "@/server/db/tenant";
import { markOptedOutByPhone } from "@/modules/contacts/contacts-optout";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { isOptOutReply } from "./opt-out-keywords";
import { announceProgress } from "./progress-notify";
import { applyUpdates, reduceUpdates, type StatusUpdate } from "./status-updates.queries";
import { suppressPhones } from "./suppressions.service";

export type { StatusUpdate };

export async function applyStatusUpdates({
  workspaceId,
  updates,
}: {
  workspaceId: string;
  updates: StatusUpdate[];
}) {
  if (updates.length === 0) return { changed: 0 };
  const result = await withTenant({ workspaceId }, (tx) =>
    applyUpdates(tx, workspaceId, reduceUpdates(updates)),
  );
  announceProgress(result.campaigns);
  return { changed: result.changed };
}

export type InboundMessage = { from: string; text: string; providerMessageId?: string };

/** Handles replies; returns how many opted out. */
export async function handleInboundMessages({
  workspaceId,
  messages,
  source = "inbound",
}: {
  workspaceId: string;
  messages: InboundMessage[];
  source?: "inbound";
}) {
  if (messages.length === 0) return { optedOut: 0 };
  return withTenant({ workspaceId }, async (tx) => {
    const workspace = await getWorkspace({ tx, workspaceId });
    const stops = messages.filter((m) => isOptOutReply(m.text, workspace.optOutKeywords));
    if (stops.length === 0) return { optedOut: 0 };
    const phones = [...new Set(stops.map((m) => m.from))];
    await suppressPhones({ tx, workspaceId, phones, source, reason: "inbound_keyword" });
    for (const phone of phones)
      await markOptedOutByPhone({ tx, workspaceId, phone, reason: "inbound_keyword" });
    return { optedOut: phones.length };
  });
}
