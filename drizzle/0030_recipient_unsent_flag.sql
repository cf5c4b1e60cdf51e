-- The per-recipient table filters by status, and no index may hold `status` (0029: recipient
-- writes are HOT). For the statuses few rows hold — the ones that ended without a send — a
-- stored flag does: it changes only when a row enters one of them, so the claim's, the
-- settle's and the receipts' writes (its value stays false) remain HOT.
ALTER TABLE "campaign_recipient" ADD COLUMN "unsent" boolean GENERATED ALWAYS AS ("status" in ('failed', 'skipped', 'canceled', 'unknown')) STORED;--> statement-breakpoint
CREATE INDEX "campaign_recipient_unsent_idx" ON "campaign_recipient" USING btree ("workspace_id","campaign_id","id") WHERE "campaign_recipient"."unsent";
