DROP INDEX "contact_name_prefix_idx";--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "name_key" text COLLATE "C" GENERATED ALWAYS AS (st_fold(nombre)) STORED;--> statement-breakpoint
CREATE INDEX "contact_name_key_idx" ON "contact" USING btree ("workspace_id","name_key");