-- A fold counts contacts per group (stats_contact_count) from each per-contact row's group
-- before and after it. The row's upsert now keeps the group it replaces in `prev_group_id`
-- and returns it, instead of the fold looking the old row up by key: with statistics that
-- still said "empty", those lookups were planned on a group index and walked every row of the
-- window per contact (a fold of 20k events took 50 s, one of 200k did not end).
ALTER TABLE "stats_contact" ADD COLUMN "prev_group_id" uuid;--> statement-breakpoint
ALTER TABLE "stats_contact_window" ADD COLUMN "prev_group_id" uuid;--> statement-breakpoint
ALTER TABLE "stats_contact_range" ADD COLUMN "prev_group_id" uuid;
