/**
 * Meta's WhatsApp Cloud API webhook body (field `messages`):
 *
 *   { object: "whatsapp_business_account",
 *     entry: [{ id: <WABA id>, changes: [{ field: "messages", value: {
 *       metadata: { display_phone_number, phone_number_id },
 *       statuses?: [{ id: <wamid>, status: sent|delivered|read|failed, timestamp: <unix s>,
 *                     recipient_id, biz_opaque_callback_data?, errors?: [{ code, title }] }],
 *       messages?: [{ from: <digits>, id: <wamid>, timestamp, type: "text", text: { body } }]
 *     } }] }] }
 *
 * Each change is routed by its phone number id. Parsing is lenient (fields Meta adds later are
 * ignored, unknown statuses such as `deleted` or `played` are skipped) because a non-2xx makes
 * Meta retry the same body for days.
 */
import type { InboundMessage, StatusUpdate } from "@/modules/campaigns/status-updates.service";
import {
  e164FromDigits,
  errorCode,
  isRecord,
  isUuid,
  records,
  str,
  type JsonRecord,
} from "./payload-helpers";

export type WhatsappChange = {
  phoneNumberId: string;
  updates: StatusUpdate[];
  messages: InboundMessage[];
};

const STATUSES = new Set(["sent", "delivered", "read", "failed"]);

function statusUpdate(s: JsonRecord): StatusUpdate | null {
  const wamid = str(s.id);
  const status = str(s.status);
  if (!wamid || !status || !STATUSES.has(status)) return null;
  const seconds = Number(s.timestamp);
  const at = Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
  // Our adapter sends the recipient id as biz_opaque_callback_data: it finds the recipient
  // even when the send crashed before the wamid was stored (status `unknown`).
  const opaque = str(s.biz_opaque_callback_data);
  const target = opaque && isUuid(opaque) ? { recipientId: opaque } : { providerMessageId: wamid };
  if (status !== "failed") return { ...target, status: status as StatusUpdate["status"], at };
  const [first] = records(s.errors);
  const code = first && (typeof first.code === "number" || typeof first.code === "string");
  return {
    ...target,
    status: "failed",
    code: code ? errorCode("wa", first.code as number | string) : "wa_failed",
    at,
  };
}

/** The words of a reply: typed text, or the label of a tapped quick-reply button. */
function replyText(m: JsonRecord): string | null {
  switch (m.type) {
    case "text":
      return isRecord(m.text) ? str(m.text.body) : null;
    case "button":
      return isRecord(m.button) ? str(m.button.text) : null;
    case "interactive": {
      const i = isRecord(m.interactive) ? m.interactive : null;
      return i && isRecord(i.button_reply) ? str(i.button_reply.title) : null;
    }
    default:
      return null;
  }
}

function inboundMessage(m: JsonRecord): InboundMessage | null {
  const from = e164FromDigits(m.from);
  const text = replyText(m);
  if (!from || text === null) return null;
  const id = str(m.id);
  return id ? { from, text, providerMessageId: id } : { from, text };
}

/** The changes of a webhook body that carry a phone number id, in order. */
export function parseWhatsappPayload(body: unknown): WhatsappChange[] {
  if (!isRecord(body) || body.object !== "whatsapp_business_account") return [];
  const changes: WhatsappChange[] = [];
  for (const entry of records(body.entry)) {
    for (const change of records(entry.changes)) {
      const value = isRecord(change.value) ? change.value : null;
      const metadata = value && isRecord(value.metadata) ? value.metadata : null;
      const phoneNumberId = metadata ? str(metadata.phone_number_id) : null;
      if (!value || !phoneNumberId || !/^\d{1,30}$/.test(phoneNumberId)) continue;
      changes.push({
        phoneNumberId,
        updates: records(value.statuses)
          .map(statusUpdate)
          .filter((u): u is StatusUpdate => u !== null),
        messages: records(value.messages)
          .map(inboundMessage)
          .filter((m): m is InboundMessage => m !== null),
      });
    }
  }
  return changes;
}
