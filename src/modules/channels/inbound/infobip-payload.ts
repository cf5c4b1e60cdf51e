/**
 * Infobip's WhatsApp webhooks. One URL receives every report type (Infobip's advice), each a
 * `{ results: [...] }` body:
 *
 * - delivery report: `{ messageId, to, sentAt, doneAt, status: { groupName, name },
 *   error: { id, name, groupName, permanent } }` — groupName PENDING | DELIVERED |
 *   UNDELIVERABLE | EXPIRED | REJECTED;
 * - seen report: `{ messageId, to, sentAt, seenAt }` (no status);
 * - inbound message: `{ from, to, integrationType: "WHATSAPP", receivedAt, messageId,
 *   message: { type: "TEXT", text } }`.
 *
 * `messageId` of a report is our recipient id (the adapter sends it as Infobip's messageId).
 */
import type { InboundMessage, StatusUpdate } from "@/modules/campaigns/status-updates.service";
import {
  dateOf,
  e164FromDigits,
  errorCode,
  isRecord,
  isUuid,
  records,
  str,
  type JsonRecord,
} from "./payload-helpers";

export type InfobipEvents = { updates: StatusUpdate[]; messages: InboundMessage[] };

const FAILED_GROUPS = new Set(["UNDELIVERABLE", "EXPIRED", "REJECTED"]);

function failureCode(r: JsonRecord, status: JsonRecord): string {
  // The error names the cause (EC_ABSENT_SUBSCRIBER…); the status only says "undeliverable".
  const error = isRecord(r.error) ? r.error : null;
  const errorName = error && error.id !== 0 ? str(error.name) : null;
  const name = errorName ?? str(status.name) ?? str(status.groupName) ?? "failed";
  return errorCode("ib", name);
}

function report(r: JsonRecord): StatusUpdate | null {
  const messageId = str(r.messageId);
  if (!messageId) return null;
  // Ours are uuids; anything else can only match a stored provider message id.
  const target = isUuid(messageId) ? { recipientId: messageId } : { providerMessageId: messageId };
  if (isRecord(r.status)) {
    const group = str(r.status.groupName);
    const at = dateOf(r.doneAt) ?? dateOf(r.sentAt);
    if (group === "DELIVERED") return { ...target, status: "delivered", at };
    if (group === "PENDING") return { ...target, status: "sent", at: dateOf(r.sentAt) };
    if (group && FAILED_GROUPS.has(group)) {
      return { ...target, status: "failed", code: failureCode(r, r.status), at };
    }
    return null;
  }
  const seenAt = dateOf(r.seenAt);
  return seenAt ? { ...target, status: "read", at: seenAt } : null;
}

function replyText(message: JsonRecord): string | null {
  switch (message.type) {
    case "TEXT":
    case "BUTTON":
      return str(message.text);
    case "INTERACTIVE_BUTTON_REPLY":
      return str(message.title);
    default:
      return null;
  }
}

function inbound(r: JsonRecord): InboundMessage | null {
  const from = e164FromDigits(r.from);
  const text = isRecord(r.message) ? replyText(r.message) : null;
  if (!from || text === null) return null;
  const id = str(r.messageId);
  return id ? { from, text, providerMessageId: id } : { from, text };
}

export function parseInfobipPayload(body: unknown): InfobipEvents {
  const events: InfobipEvents = { updates: [], messages: [] };
  if (!isRecord(body)) return events;
  for (const r of records(body.results)) {
    if (isRecord(r.message)) {
      const m = inbound(r);
      if (m) events.messages.push(m);
      continue;
    }
    const u = report(r);
    if (u) events.updates.push(u);
  }
  return events;
}
