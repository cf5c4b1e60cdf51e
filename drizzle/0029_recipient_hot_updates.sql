-- A recipient row is written several times after it is built (claimed, settled, then delivered
-- and read by status webhooks). With `status` in an index none of those writes could be HOT:
-- each new row version took a new entry in every index (three or four per write), and the
-- claim and settle updates were ~85% of the send path's statement time. Without `status` in
-- any index, and with half of each page left free for the new versions, the writes that only
-- change unindexed columns stay on their page with no index entries.
--
-- The claim finds a batch's rows by (campaign, batch) and filters on status (500 rows a batch);
-- the per-recipient table filters on status over the campaign's primary key.
ALTER TABLE "campaign_recipient" SET (fillfactor = 50);--> statement-breakpoint
DROP INDEX IF EXISTS "campaign_recipient_pending_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "campaign_recipient_status_idx";--> statement-breakpoint
CREATE INDEX "campaign_recipient_batch_idx" ON "campaign_recipient" USING btree ("workspace_id","campaign_id","batch");
--> statement-breakpoint
-- The provider's message id (for receipts that carry only that, e.g. a WhatsApp status without
-- our `biz_opaque_callback_data`) is found through the `sent` event, which is inserted anyway;
-- the recipient row keeps it unindexed, for display and export.
ALTER TABLE "message_event" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
UPDATE "message_event" e SET "provider_message_id" = r."provider_message_id"
  FROM "campaign_recipient" r
 WHERE e."type" = 'sent' AND r."workspace_id" = e."workspace_id" AND r."campaign_id" = e."campaign_id"
   AND r."id" = e."recipient_id" AND r."provider_message_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "message_event_provider_idx" ON "message_event" USING btree ("workspace_id","provider_message_id") WHERE "message_event"."provider_message_id" is not null;--> statement-breakpoint
DROP INDEX IF EXISTS "campaign_recipient_provider_idx";
--> statement-breakpoint
-- The campaign page's recent failures, found through their events (few: a partial index).
CREATE INDEX "message_event_failed_idx" ON "message_event" USING btree ("workspace_id","campaign_id","occurred_at" DESC NULLS LAST) WHERE "message_event"."type" = 'failed';
