-- A claim by a campaign with a shorter cool-off override took over the phone's record of an
-- earlier send, and releasing that claim unsent (failed, retried, paused, canceled) deleted
-- it: the earlier send's date was lost and a default campaign could message the phone inside
-- its cool-off. The record taken over is kept here and put back on release.
ALTER TABLE "send_ledger" ADD COLUMN "prev_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "send_ledger" ADD COLUMN "prev_campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "send_ledger" ADD COLUMN "prev_recipient_id" uuid;
