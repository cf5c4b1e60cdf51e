-- Concurrent settles of one campaign upserted the same rollup row and queued on its lock
-- until commit. Each writer now adds into its own shard (its backend's pid modulo 16);
-- readers already sum counts over the key.
ALTER TABLE "campaign_rollup" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_rollup" DROP CONSTRAINT "campaign_rollup_workspace_id_bucket_campaign_id_bot_id_group_id_status_pk";--> statement-breakpoint
ALTER TABLE "campaign_rollup" ADD CONSTRAINT "campaign_rollup_pk" PRIMARY KEY("workspace_id","bucket","campaign_id","bot_id","group_id","status","shard");
