-- Search any word of a name and a phone by its end (issue 9). Under row-level security only
-- leakproof operators (text =, <, >=) reach an index, so every searchable piece of a contact
-- becomes a row of contact_search_token, found by a btree range in byte order ("C"):
--   * each word of st_fold(nombre) (accents and case folded), e.g. 'gonzalez';
--   * the phone's digits reversed behind '+', e.g. '+000021189595' for +595981120000, so a
--     phone suffix is a prefix range ('+000021' ≤ token < '+000021' || U+10FFFF).
-- Words are split on anything but letters and digits, so a word token never holds a '+'.
-- An array, unnested by the callers: the planner then expects ~10 tokens a contact (a set-
-- returning SQL function is inlined with a guess of ~1,000, which turns the triggers' deletes
-- into hash joins over the whole token table instead of primary-key probes).
CREATE OR REPLACE FUNCTION st_search_tokens(nombre text, phone text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array(
    SELECT w FROM regexp_split_to_table(public.st_fold(nombre), '[^[:alnum:]]+') AS w WHERE w <> ''
    UNION
    SELECT '+' || reverse(substr(phone, 2)) WHERE phone IS NOT NULL)
$$;--> statement-breakpoint
CREATE TABLE "contact_search_token" (
	"workspace_id" uuid NOT NULL,
	"token" text COLLATE "C" NOT NULL,
	"contact_id" uuid NOT NULL,
	CONSTRAINT "contact_search_token_pk" PRIMARY KEY("workspace_id","token","contact_id")
);--> statement-breakpoint
SELECT app_enable_tenant_rls('contact_search_token');--> statement-breakpoint

-- The number of contacts per workspace, as deltas appended by each writing statement (never one
-- hot row: two import parts writing in parallel would wait on each other's commit) and folded
-- into one row when read (contactsTotal, contacts-count.queries.ts).
CREATE TABLE "contact_count_delta" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"delta" bigint NOT NULL
);--> statement-breakpoint
CREATE INDEX "contact_count_delta_workspace_idx" ON "contact_count_delta" USING btree ("workspace_id");--> statement-breakpoint
SELECT app_enable_tenant_rls('contact_count_delta');--> statement-breakpoint

-- Kept by statement-level triggers over the transition tables: one set-based statement per
-- write, in the writer's transaction and as the writer (RLS applies). Their own search_path:
-- a workspace's deletion cascades to contact from app_ref_cascade, whose search_path holds
-- only pg_catalog.
CREATE OR REPLACE FUNCTION app_contact_after_insert() RETURNS trigger LANGUAGE plpgsql
  SET search_path = public, pg_temp AS $$
BEGIN
  -- In index order: new contacts' ids (v7 from the importer) land at the end of each word's run.
  INSERT INTO contact_search_token (workspace_id, token, contact_id)
  SELECT n.workspace_id, t, n.id FROM new_rows n, unnest(st_search_tokens(n.nombre, n.phone)) t
  ORDER BY 1, 2, 3;
  INSERT INTO contact_count_delta (workspace_id, delta)
  SELECT workspace_id, count(*) FROM new_rows GROUP BY workspace_id;
  RETURN NULL;
END $$;--> statement-breakpoint
-- The old and new versions of the rows whose name or phone changed, as set differences (no
-- join between the transition tables). Their tokens are removed and added by primary key:
-- joins other than nested loops are off inside these functions, as the planner knows nothing
-- of a transition table and might otherwise hash the whole token table for a few rows.
CREATE OR REPLACE FUNCTION app_contact_after_update() RETURNS trigger LANGUAGE plpgsql
  SET search_path = public, pg_temp SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  DELETE FROM contact_search_token k
   USING (SELECT c.workspace_id, t, c.id
            FROM (SELECT workspace_id, id, nombre, phone FROM old_rows
                  EXCEPT SELECT workspace_id, id, nombre, phone FROM new_rows) c,
                 unnest(st_search_tokens(c.nombre, c.phone)) t) d (workspace_id, token, contact_id)
   WHERE k.workspace_id = d.workspace_id AND k.token = d.token AND k.contact_id = d.contact_id;
  INSERT INTO contact_search_token (workspace_id, token, contact_id)
  SELECT c.workspace_id, t, c.id
    FROM (SELECT workspace_id, id, nombre, phone FROM new_rows
          EXCEPT SELECT workspace_id, id, nombre, phone FROM old_rows) c,
         unnest(st_search_tokens(c.nombre, c.phone)) t
   ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_contact_after_delete() RETURNS trigger LANGUAGE plpgsql
  SET search_path = public, pg_temp SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  DELETE FROM contact_search_token k
   USING old_rows o, unnest(st_search_tokens(o.nombre, o.phone)) t
   WHERE k.workspace_id = o.workspace_id AND k.token = t AND k.contact_id = o.id;
  INSERT INTO contact_count_delta (workspace_id, delta)
  SELECT workspace_id, -count(*) FROM old_rows GROUP BY workspace_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER contact_search_insert AFTER INSERT ON contact REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION app_contact_after_insert();--> statement-breakpoint
CREATE TRIGGER contact_search_update AFTER UPDATE ON contact
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION app_contact_after_update();--> statement-breakpoint
CREATE TRIGGER contact_search_delete AFTER DELETE ON contact REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION app_contact_after_delete();--> statement-breakpoint

-- Contacts already there.
INSERT INTO contact_search_token (workspace_id, token, contact_id)
SELECT c.workspace_id, t, c.id FROM contact c, unnest(st_search_tokens(c.nombre, c.phone)) t
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO contact_count_delta (workspace_id, delta)
SELECT workspace_id, count(*) FROM contact GROUP BY workspace_id;--> statement-breakpoint

-- "Select all N that match": a bulk action over a filter, run by the contacts.bulk job in
-- batches, its progress here.
CREATE TABLE "contact_bulk_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"created_by" uuid,
	"action" text NOT NULL,
	"filters" jsonb NOT NULL,
	"params" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"expected" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"affected" integer DEFAULT 0 NOT NULL,
	"cursor" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);--> statement-breakpoint
ALTER TABLE "contact_bulk_run" ADD CONSTRAINT "contact_bulk_run_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_bulk_run" ADD CONSTRAINT "contact_bulk_run_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_bulk_run_workspace_created_idx" ON "contact_bulk_run" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
SELECT app_enable_tenant_rls('contact_bulk_run');--> statement-breakpoint

-- The contact page's timeline reads the audit rows about one contact.
CREATE INDEX "audit_log_workspace_target_idx" ON "audit_log" USING btree ("workspace_id","target_type","target_id","created_at" DESC NULLS FIRST);--> statement-breakpoint

-- Imports audited where their state changes (one home: contact_import.status), whichever path
-- moved it — the UI, the REST API, the CLI or the worker. The actor is the tenant context's
-- user, else the uploader for a start, else the system.
CREATE OR REPLACE FUNCTION app_audit_import_status() RETURNS trigger LANGUAGE plpgsql
  SET search_path = public, pg_temp AS $$
DECLARE
  actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
BEGIN
  IF actor IS NULL AND NEW.status = 'queued' THEN actor := NEW.created_by; END IF;
  INSERT INTO audit_log (workspace_id, actor_user_id, actor_label, action, target_type, target_id, after)
  VALUES (NEW.workspace_id, actor, CASE WHEN actor IS NULL THEN 'system' END,
          CASE NEW.status WHEN 'queued' THEN 'import.started' WHEN 'completed' THEN 'import.completed'
               WHEN 'failed' THEN 'import.failed' ELSE 'import.canceled' END,
          'contact_import', NEW.id::text,
          jsonb_strip_nulls(jsonb_build_object('fileName', NEW.file_name, 'dryRun', NEW.dry_run,
            'counts', NEW.counts, 'error', NEW.error_message)));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER contact_import_audit AFTER UPDATE OF status ON contact_import FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('queued', 'completed', 'failed', 'canceled'))
  EXECUTE FUNCTION app_audit_import_status();
