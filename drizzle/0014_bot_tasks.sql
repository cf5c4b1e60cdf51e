CREATE TYPE "public"."task_status" AS ENUM('PENDING', 'LEASED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'TIMED_OUT');--> statement-breakpoint
CREATE TYPE "public"."log_level" AS ENUM('debug', 'info', 'warn', 'error');--> statement-breakpoint
CREATE TABLE "bot_task" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"action" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"priority" smallint DEFAULT 0 NOT NULL,
	"status" "task_status" DEFAULT 'PENDING' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"max_attempts" smallint DEFAULT 3 NOT NULL,
	"timeout_seconds" integer DEFAULT 300 NOT NULL,
	"scheduled_for" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"attempt_started_at" timestamp with time zone,
	"idempotency_key" text,
	"result" jsonb,
	"error" text,
	"created_by" uuid,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_task_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "task_event" (
	"workspace_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"task_id" uuid NOT NULL,
	"bot_id" uuid,
	"type" text NOT NULL,
	"actor_user_id" uuid,
	"detail" jsonb,
	CONSTRAINT "task_event_workspace_id_occurred_at_id_pk" PRIMARY KEY("workspace_id","occurred_at","id")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE "log" (
	"workspace_id" uuid NOT NULL,
	"id" bigserial NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"level" "log_level" NOT NULL,
	"message" text NOT NULL,
	"context" jsonb,
	"bot_id" uuid,
	"task_id" uuid,
	CONSTRAINT "log_workspace_id_occurred_at_id_pk" PRIMARY KEY("workspace_id","occurred_at","id")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE "task_action" (
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"schema" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_action_workspace_id_name_pk" PRIMARY KEY("workspace_id","name")
);
--> statement-breakpoint
CREATE TABLE "bot_agent" (
	"workspace_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"ip_allowlist" text[] DEFAULT '{}' NOT NULL,
	"event_window_seconds" integer DEFAULT 300 NOT NULL,
	"lease_seconds" integer DEFAULT 60 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_agent_workspace_id_bot_id_pk" PRIMARY KEY("workspace_id","bot_id")
);
--> statement-breakpoint
CREATE TABLE "bot_agent_secret" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"secret" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_agent_secret_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "bot_event_receipt" (
	"workspace_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"webhook_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_event_receipt_workspace_id_bot_id_webhook_id_pk" PRIMARY KEY("workspace_id","bot_id","webhook_id")
);
--> statement-breakpoint
ALTER TABLE "bot_task" ADD CONSTRAINT "bot_task_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_task" ADD CONSTRAINT "bot_task_bot_id_bot_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_action" ADD CONSTRAINT "task_action_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_agent" ADD CONSTRAINT "bot_agent_bot_id_bot_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_agent_secret" ADD CONSTRAINT "bot_agent_secret_bot_id_bot_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bot_task_idempotency_key" ON "bot_task" USING btree ("workspace_id","idempotency_key") WHERE "bot_task"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "bot_task_due_idx" ON "bot_task" USING btree ("workspace_id","bot_id","priority" DESC NULLS LAST,"id") WHERE "bot_task"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "bot_task_inflight_idx" ON "bot_task" USING btree ("workspace_id","bot_id") WHERE "bot_task"."status" in ('LEASED', 'RUNNING');--> statement-breakpoint
CREATE INDEX "bot_task_list_idx" ON "bot_task" USING btree ("workspace_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "bot_task_bot_idx" ON "bot_task" USING btree ("workspace_id","bot_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "task_event_task_idx" ON "task_event" USING btree ("workspace_id","task_id","occurred_at");--> statement-breakpoint
CREATE INDEX "log_time_idx" ON "log" USING btree ("workspace_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "log_bot_idx" ON "log" USING btree ("workspace_id","bot_id","occurred_at" DESC NULLS LAST) WHERE "log"."bot_id" is not null;--> statement-breakpoint
CREATE INDEX "log_task_idx" ON "log" USING btree ("workspace_id","task_id","occurred_at" DESC NULLS LAST) WHERE "log"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "log_search_idx" ON "log" USING gin (to_tsvector('simple', "message"));--> statement-breakpoint
CREATE INDEX "bot_agent_secret_bot_idx" ON "bot_agent_secret" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "bot_event_receipt_received_idx" ON "bot_event_receipt" USING btree ("received_at");--> statement-breakpoint

-- Monthly partitions of an append-only table (task_event, log): one per month from
-- `from_month` to `to_month` (inclusive), created when missing. The tasks maintenance job
-- keeps three months ahead; rows outside every partition land in the default one.
CREATE OR REPLACE FUNCTION app_ensure_monthly_partitions(parent text, from_month date, to_month date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', from_month)::date;
  part text;
BEGIN
  WHILE m <= to_month LOOP
    part := format('%s_%s', parent, to_char(m, 'YYYY_MM'));
    IF to_regclass(part) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        part, parent, m::timestamptz, (m + interval '1 month')::timestamptz);
      -- Reached only through the parent, whose row-level security applies.
      EXECUTE format('REVOKE ALL ON %I FROM salestrack_app', part);
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
END
$$;--> statement-breakpoint
CREATE TABLE "task_event_default" PARTITION OF "task_event" DEFAULT;--> statement-breakpoint
REVOKE ALL ON "task_event_default" FROM salestrack_app;--> statement-breakpoint
CREATE TABLE "log_default" PARTITION OF "log" DEFAULT;--> statement-breakpoint
REVOKE ALL ON "log_default" FROM salestrack_app;--> statement-breakpoint
SELECT app_ensure_monthly_partitions('task_event', (now() - interval '1 month')::date, (now() + interval '3 months')::date);--> statement-breakpoint
SELECT app_ensure_monthly_partitions('log', (now() - interval '1 month')::date, (now() + interval '3 months')::date);--> statement-breakpoint

SELECT app_enable_tenant_rls('bot_task');--> statement-breakpoint
SELECT app_enable_tenant_rls('task_event');--> statement-breakpoint
SELECT app_enable_tenant_rls('log');--> statement-breakpoint
SELECT app_enable_tenant_rls('task_action');--> statement-breakpoint
SELECT app_enable_tenant_rls('bot_agent');--> statement-breakpoint
SELECT app_enable_tenant_rls('bot_agent_secret');--> statement-breakpoint
SELECT app_enable_tenant_rls('bot_event_receipt');
