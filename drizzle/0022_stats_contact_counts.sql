-- How many contacts each per-contact table holds, per group of the contacts' latest message:
-- all time (`all`), each preset window (`since:<first day>`) and each kept custom period
-- (`range:<first day>:<last day>`). The top-contacts table's total is read here (a row per
-- group) instead of counted from the table's index (up to 50k entries a month at 10M events).
-- Kept by the statements that write the per-contact tables: the fold (from its upserts' groups
-- before and after), the daily roll of the windows, keeping and dropping a custom period.
CREATE TABLE "stats_contact_count" (
	"workspace_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"group_id" uuid NOT NULL,
	"contacts" integer NOT NULL,
	CONSTRAINT "stats_contact_count_pk" PRIMARY KEY("workspace_id","scope","group_id")
);
--> statement-breakpoint
SELECT app_enable_tenant_rls('stats_contact_count');--> statement-breakpoint
INSERT INTO "stats_contact_count" ("workspace_id", "scope", "group_id", "contacts")
SELECT workspace_id, 'all', group_id, count(*) FROM stats_contact GROUP BY 1, 3
UNION ALL
SELECT workspace_id, 'since:' || to_char(since, 'YYYY-MM-DD'), group_id, count(*)
  FROM stats_contact_window GROUP BY workspace_id, since, group_id
UNION ALL
SELECT workspace_id, 'range:' || to_char(day_from, 'YYYY-MM-DD') || ':' || to_char(day_to, 'YYYY-MM-DD'), group_id, count(*)
  FROM stats_contact_range GROUP BY workspace_id, day_from, day_to, group_id;
