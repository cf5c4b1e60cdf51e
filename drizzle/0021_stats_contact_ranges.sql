-- Top contacts over custom periods (any first and last local day other than the presets):
-- the first view of a period sums its contact-days and keeps the result per contact, keyed by
-- the period, so its other pages, sorts and group filters read in the order of an index. The
-- fold adds new events to every kept period they fall in; a period not viewed for a day, or
-- beyond the 16 most recently viewed of its workspace, is dropped with its rows (by the same
-- statement: no foreign key, whose check per row would cost a keep of 50k contacts ~0.5 s); a
-- rebuild drops them all.
CREATE TABLE "stats_range" (
	"workspace_id" uuid NOT NULL,
	"day_from" date NOT NULL,
	"day_to" date NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stats_range_pk" PRIMARY KEY("workspace_id","day_from","day_to")
);
--> statement-breakpoint
CREATE TABLE "stats_contact_range" (
	"workspace_id" uuid NOT NULL,
	"day_from" date NOT NULL,
	"day_to" date NOT NULL,
	"contact_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"nombre" text,
	"sent" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"read" bigint DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stats_contact_range_pk" PRIMARY KEY("workspace_id","day_from","day_to","contact_id")
);
--> statement-breakpoint
CREATE INDEX "stats_contact_range_sent_idx" ON "stats_contact_range" USING btree ("workspace_id","day_from","day_to","sent" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_range_failed_idx" ON "stats_contact_range" USING btree ("workspace_id","day_from","day_to","failed" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_range_last_idx" ON "stats_contact_range" USING btree ("workspace_id","day_from","day_to","last_at" DESC,"contact_id");--> statement-breakpoint
CREATE INDEX "stats_contact_range_group_idx" ON "stats_contact_range" USING btree ("workspace_id","day_from","day_to","group_id");--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_range');--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_contact_range');
