/**
 * A campaign's recipients → CSV, streamed in keyset pages of 5,000 by id from one read-only
 * snapshot: memory stays flat however big the campaign, and a slow client slows the reads
 * instead of buffering them. Every cell goes through the contacts export's `toCsvLine`
 * (formula-looking cells get a leading `'`: no CSV injection from a contact's name).
 */
import { toCsvLine } from "@/modules/contacts/import/csv-escape";
import { openTenantTransaction } from "@/server/db/tenant";
import { findRecipientsAfter } from "./campaigns.queries";
import type { CampaignRecipient, RecipientStatus } from "./campaigns.table";

export const RECIPIENT_CSV_COLUMNS = [
  "phone",
  "name",
  "group",
  "template",
  "status",
  "error_code",
  "attempts",
  "provider_message_id",
  "sent_at",
  "delivered_at",
  "read_at",
  "updated_at",
] as const;

const PAGE_SIZE = 5000;

const iso = (d: Date | null) => (d ? d.toISOString() : "");

/** One recipient as a CSV line (CRLF); pure, so the format is testable without a database. */
export function recipientCsvLine(r: CampaignRecipient): string {
  return toCsvLine([
    r.phone,
    r.nombre,
    r.groupName,
    String(r.templateIndex + 1),
    r.status,
    r.errorCode,
    String(r.attempts),
    r.providerMessageId,
    iso(r.sentAt),
    iso(r.deliveredAt),
    iso(r.readAt),
    iso(r.updatedAt),
  ]);
}

export function exportRecipientsCsv({
  workspaceId,
  campaignId,
  status,
}: {
  workspaceId: string;
  campaignId: string;
  /** Only recipients in this status (filtered page by page). */
  status?: RecipientStatus;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let snapshot: Awaited<ReturnType<typeof openTenantTransaction>> | null = null;
  let after: string | null = null;
  const close = () => snapshot?.rollback().catch(() => undefined);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!snapshot) {
            snapshot = await openTenantTransaction(
              { workspaceId },
              { isolationLevel: "repeatable read", accessMode: "read only" },
            );
            // BOM first, so Excel reads accents in names as UTF-8.
            controller.enqueue(encoder.encode("\uFEFF" + toCsvLine([...RECIPIENT_CSV_COLUMNS])));
            return;
          }
          const rows = await findRecipientsAfter(
            snapshot.tx,
            workspaceId,
            campaignId,
            after,
            PAGE_SIZE,
          );
          let chunk = "";
          for (const r of rows) if (!status || r.status === status) chunk += recipientCsvLine(r);
          if (chunk) controller.enqueue(encoder.encode(chunk));
          after = rows.at(-1)?.id ?? after;
          if (rows.length < PAGE_SIZE) {
            await close();
            controller.close();
          }
        } catch (err) {
          await close();
          controller.error(err);
        }
      },
      async cancel() {
        await close();
      },
    },
    { highWaterMark: 1 },
  );
}
