-- Top contacts over the dashboard's preset periods (today, last 7 days, last 30 days, this
-- month) read in the order of an index instead of summing every contact-day of the period:
-- per contact, the totals of each period ending on the workspace's current local day
-- (`stats_fold.window_day`), keyed by the period's first day. The fold adds new events to them;
-- when the local day changes, the next fold recomputes them from `stats_contact_day`.
CREATE TABLE "stats_contact_window" (
	"workspace_id" uuid NOT NULL,
	"since" date NOT NULL,
	"contact_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"nombre" text,
	"sent" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"read" bigint DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stats_contact_window_pk" PRIMARY KEY("workspace_id","since","contact_id")
);
--> statement-breakpoint
CREATE INDEX "stats_contact_window_sent_idx" ON "stats_contact_window" USING btree ("workspace_id","since","sent" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_window_failed_idx" ON "stats_contact_window" USING btree ("workspace_id","since","failed" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_window_last_idx" ON "stats_contact_window" USING btree ("workspace_id","since","last_at" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_window_group_idx" ON "stats_contact_window" USING btree ("workspace_id","since","group_id");--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_contact_window');--> statement-breakpoint
ALTER TABLE "stats_fold" ADD COLUMN "window_day" date;
