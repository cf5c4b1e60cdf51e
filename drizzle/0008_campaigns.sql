CREATE TYPE "public"."bot_kind" AS ENUM('sandbox', 'webhook', 'whatsapp_cloud', 'infobip', 'agent');--> statement-breakpoint
CREATE TYPE "public"."bot_status" AS ENUM('active', 'paused', 'disabled', 'error');--> statement-breakpoint
CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'scheduled', 'running', 'paused', 'completed', 'canceled', 'failed');--> statement-breakpoint
CREATE TYPE "public"."recipient_status" AS ENUM('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'canceled', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."suppression_source" AS ENUM('inbound', 'manual', 'import', 'api');--> statement-breakpoint
CREATE TABLE "bot_pacing" (
	"workspace_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"tat" timestamp with time zone DEFAULT now() NOT NULL,
	"day" date,
	"day_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "bot_pacing_workspace_id_bot_id_pk" PRIMARY KEY("workspace_id","bot_id")
);
--> statement-breakpoint
CREATE TABLE "bot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "bot_kind" NOT NULL,
	"status" "bot_status" DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"credentials" text,
	"concurrency" integer DEFAULT 4 NOT NULL,
	"rate_per_second" double precision,
	"rate_per_minute" integer,
	"daily_cap" integer,
	"daily_unique_cap" integer,
	"delay_min_ms" integer DEFAULT 0 NOT NULL,
	"delay_max_ms" integer DEFAULT 0 NOT NULL,
	"quiet_start" text,
	"quiet_end" text,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_recipient" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"phone" text COLLATE "C" NOT NULL,
	"nombre" text,
	"sustantivo" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"group_id" uuid,
	"group_name" text,
	"bot_id" uuid,
	"batch" integer DEFAULT 0 NOT NULL,
	"template_index" smallint DEFAULT 0 NOT NULL,
	"status" "recipient_status" DEFAULT 'queued' NOT NULL,
	"error_code" text,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"claimed_by" text,
	"provider_message_id" text,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_recipient_workspace_id_campaign_id_id_pk" PRIMARY KEY("workspace_id","campaign_id","id")
);
--> statement-breakpoint
CREATE TABLE "campaign_rollup" (
	"workspace_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"campaign_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"status" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_rollup_workspace_id_bucket_campaign_id_bot_id_group_id_status_pk" PRIMARY KEY("workspace_id","bucket","campaign_id","bot_id","group_id","status")
);
--> statement-breakpoint
CREATE TABLE "campaign" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" "campaign_status" DEFAULT 'draft' NOT NULL,
	"status_reason" text,
	"audience" jsonb NOT NULL,
	"templates" jsonb NOT NULL,
	"bot_ids" uuid[] NOT NULL,
	"schedule" jsonb DEFAULT '{"type":"now"}'::jsonb NOT NULL,
	"cooloff_days" integer,
	"cooloff_reason" text,
	"failure_rate" integer DEFAULT 20 NOT NULL,
	"failure_window" integer DEFAULT 50 NOT NULL,
	"parent_id" uuid,
	"total" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"launched_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_event" (
	"workspace_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"campaign_id" uuid,
	"recipient_id" uuid,
	"bot_id" uuid,
	"type" text NOT NULL,
	"code" text,
	"detail" jsonb,
	CONSTRAINT "message_event_workspace_id_occurred_at_id_pk" PRIMARY KEY("workspace_id","occurred_at","id")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE "send_ledger" (
	"workspace_id" uuid NOT NULL,
	"phone" text COLLATE "C" NOT NULL,
	"last_sent_at" timestamp with time zone NOT NULL,
	"campaign_id" uuid,
	"recipient_id" uuid,
	CONSTRAINT "send_ledger_workspace_id_phone_pk" PRIMARY KEY("workspace_id","phone")
);
--> statement-breakpoint
CREATE TABLE "suppression" (
	"workspace_id" uuid NOT NULL,
	"phone" text COLLATE "C" NOT NULL,
	"source" "suppression_source" NOT NULL,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppression_workspace_id_phone_pk" PRIMARY KEY("workspace_id","phone")
);
--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "cooloff_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "opt_out_keywords" text[] DEFAULT '{STOP,BAJA,"NO MAS",UNSUBSCRIBE}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "bot_pacing" ADD CONSTRAINT "bot_pacing_bot_id_bot_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot" ADD CONSTRAINT "bot_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bot_workspace_name_key" ON "bot" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE INDEX "bot_workspace_idx" ON "bot" USING btree ("workspace_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_recipient_phone_key" ON "campaign_recipient" USING btree ("workspace_id","campaign_id","phone");--> statement-breakpoint
CREATE INDEX "campaign_recipient_pending_idx" ON "campaign_recipient" USING btree ("workspace_id","campaign_id","batch") WHERE "campaign_recipient"."status" in ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "campaign_recipient_status_idx" ON "campaign_recipient" USING btree ("workspace_id","campaign_id","status","id");--> statement-breakpoint
CREATE INDEX "campaign_recipient_provider_idx" ON "campaign_recipient" USING btree ("workspace_id","provider_message_id") WHERE "campaign_recipient"."provider_message_id" is not null;--> statement-breakpoint
CREATE INDEX "campaign_rollup_campaign_idx" ON "campaign_rollup" USING btree ("workspace_id","campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_workspace_created_idx" ON "campaign" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "campaign_parent_idx" ON "campaign" USING btree ("workspace_id","parent_id") WHERE "campaign"."parent_id" is not null;--> statement-breakpoint
CREATE INDEX "message_event_campaign_idx" ON "message_event" USING btree ("workspace_id","campaign_id","occurred_at" DESC NULLS LAST);;--> statement-breakpoint

-- Time-ordered (v7) ids made in SQL, for rows built set-based (campaign recipients): rows
-- inserted together land on neighbouring index pages. Works on every Postgres >= 13.
CREATE OR REPLACE FUNCTION app_uuidv7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
    || '7' || substr(replace(gen_random_uuid()::text, '-', ''), 14, 19))::uuid
$$;--> statement-breakpoint

-- Monthly partitions of message_event: one per month from `from_month` to `to_month`
-- (inclusive), created when missing. A daily job keeps three months ahead; events outside
-- every partition land in the default one and are never lost.
CREATE OR REPLACE FUNCTION app_ensure_event_partitions(from_month date, to_month date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', from_month)::date;
  part text;
BEGIN
  WHILE m <= to_month LOOP
    part := format('message_event_%s', to_char(m, 'YYYY_MM'));
    IF to_regclass(part) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF message_event FOR VALUES FROM (%L) TO (%L)',
        part, m::timestamptz, (m + interval '1 month')::timestamptz);
      -- Reached only through the parent, whose row-level security applies.
      EXECUTE format('REVOKE ALL ON %I FROM salestrack_app', part);
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
END
$$;--> statement-breakpoint
CREATE TABLE "message_event_default" PARTITION OF "message_event" DEFAULT;--> statement-breakpoint
REVOKE ALL ON "message_event_default" FROM salestrack_app;--> statement-breakpoint
SELECT app_ensure_event_partitions((now() - interval '13 months')::date, (now() + interval '3 months')::date);--> statement-breakpoint

SELECT app_enable_tenant_rls('bot');--> statement-breakpoint
SELECT app_enable_tenant_rls('bot_pacing');--> statement-breakpoint
SELECT app_enable_tenant_rls('campaign');--> statement-breakpoint
SELECT app_enable_tenant_rls('campaign_recipient');--> statement-breakpoint
SELECT app_enable_tenant_rls('message_event');--> statement-breakpoint
SELECT app_enable_tenant_rls('send_ledger');--> statement-breakpoint
SELECT app_enable_tenant_rls('suppression');--> statement-breakpoint
SELECT app_enable_tenant_rls('campaign_rollup');
