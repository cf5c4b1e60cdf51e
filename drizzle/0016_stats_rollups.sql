-- Dashboard statistics, folded from message_event by the `stats.fold` job (docs/dashboards.md):
-- 15-minute UTC buckets (serve hours and timelines in any zone whose offset is a multiple of
-- 15 minutes), days in the workspace's own time zone (days, months, KPIs), per-contact totals
-- (top contacts, with the phone and name they were messaged as), and each workspace's fold state (the snapshot of its last fold).
CREATE TABLE "stats_quarter" (
	"workspace_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"campaign_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"status" text NOT NULL,
	"code" text DEFAULT '' NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_quarter_pk" PRIMARY KEY("workspace_id","bucket","campaign_id","bot_id","group_id","status","code")
);
--> statement-breakpoint
CREATE TABLE "stats_day" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"campaign_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"status" text NOT NULL,
	"code" text DEFAULT '' NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_day_pk" PRIMARY KEY("workspace_id","day","campaign_id","bot_id","group_id","status","code")
);
--> statement-breakpoint
CREATE TABLE "stats_contact" (
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"nombre" text,
	"sent" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"read" bigint DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stats_contact_pk" PRIMARY KEY("workspace_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "stats_fold" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"snapshot" text,
	"time_zone" text NOT NULL,
	"folded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "stats_quarter_campaign_idx" ON "stats_quarter" USING btree ("workspace_id","campaign_id","bucket");--> statement-breakpoint
CREATE INDEX "stats_day_campaign_idx" ON "stats_day" USING btree ("workspace_id","campaign_id","day");--> statement-breakpoint
CREATE INDEX "stats_contact_sent_idx" ON "stats_contact" USING btree ("workspace_id","sent" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_failed_idx" ON "stats_contact" USING btree ("workspace_id","failed" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_last_idx" ON "stats_contact" USING btree ("workspace_id","last_at" DESC,"contact_id");--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_quarter');--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_day');--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_contact');--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_fold');
