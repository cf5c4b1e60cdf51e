-- Dashboard counters added by issue 11's leftovers (docs/dashboards.md), folded by the
-- `stats.fold` job like the others:
-- 1. bot task outcomes (succeeded, failed, timed out, canceled) per local day × bot × action,
--    with the summed duration of those that ran (averages by action);
-- 2. per-contact totals per local day, for top contacts over a chosen period.
-- Existing workspaces get them from a rebuild: clearing the fold snapshot makes the next fold
-- (the job's first pass) refold everything.
CREATE TABLE "stats_task_day" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"bot_id" uuid NOT NULL,
	"action" text NOT NULL,
	"status" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"timed" bigint DEFAULT 0 NOT NULL,
	"duration_ms" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_task_day_pk" PRIMARY KEY("workspace_id","day","bot_id","action","status")
);
--> statement-breakpoint
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
SELECT app_enable_tenant_rls('stats_task_day');--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_contact_day');--> statement-breakpoint
UPDATE "stats_fold" SET "snapshot" = NULL;
