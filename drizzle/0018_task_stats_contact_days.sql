-- Dashboard reads added by issue 11's leftovers (docs/dashboards.md):
-- 1. bot tasks that finished in a range, per day, action and bot, with durations: an index
--    on finish time that also holds every column the read needs (index-only range scan);
-- 2. top contacts over a chosen period: per-contact counters per local day, folded like the
--    other stats tables. Existing workspaces get them from a rebuild: clearing the fold
--    snapshot makes the next fold (the `stats.fold` job's first pass) refold everything.
CREATE INDEX "bot_task_finished_idx" ON "bot_task" USING btree ("workspace_id","finished_at","status","action","bot_id","started_at") WHERE "bot_task"."finished_at" is not null;--> statement-breakpoint
CREATE TABLE "stats_contact_day" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"contact_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"nombre" text,
	"sent" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"read" bigint DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stats_contact_day_pk" PRIMARY KEY("workspace_id","day","contact_id")
);
--> statement-breakpoint
CREATE INDEX "stats_contact_day_contact_idx" ON "stats_contact_day" USING btree ("workspace_id","contact_id","day");--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_contact_day');--> statement-breakpoint
UPDATE "stats_fold" SET "snapshot" = NULL;
