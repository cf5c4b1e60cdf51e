ALTER TABLE "contact_group_member" DROP CONSTRAINT "contact_group_member_group_id_contact_group_id_fk";
--> statement-breakpoint
ALTER TABLE "contact_group_member" DROP CONSTRAINT "contact_group_member_contact_id_contact_id_fk";
--> statement-breakpoint
ALTER TABLE "contact" DROP CONSTRAINT "contact_workspace_id_workspace_id_fk";
--> statement-breakpoint
-- Set-based references (docs/architecture.md): what a FOREIGN KEY guarantees, checked once per
-- statement over its transition table instead of once per row. A bulk import writes ~75k
-- memberships and ~50k contacts per batch, and a per-row FK check costs ~10 µs each.
--
-- Insert: every referenced row must exist and is key-share locked (as an FK does), so a
-- concurrent delete of it waits for this transaction, and a row deleted first is not found.
-- Runs as the caller: under row-level security a row of another workspace is "missing" too.
CREATE OR REPLACE FUNCTION app_ref_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted bigint;
  found bigint;
BEGIN
  -- TG_ARGV: referencing column, referenced table (its key is "id").
  EXECUTE format('SELECT count(DISTINCT %I) FROM new_rows', TG_ARGV[0]) INTO wanted;
  EXECUTE format(
    'SELECT count(*) FROM (SELECT 1 FROM %s p WHERE p.id IN (SELECT %I FROM new_rows) FOR KEY SHARE OF p) locked',
    TG_ARGV[1], TG_ARGV[0]) INTO found;
  IF found < wanted THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('insert on %s: %s references a row missing from %s', TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1]),
      TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint

-- Delete: the referencing rows go too (ON DELETE CASCADE), whatever workspace context is set.
CREATE OR REPLACE FUNCTION app_ref_cascade() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- TG_ARGV: referencing table (schema-qualified), referencing column.
  EXECUTE format('DELETE FROM %s c WHERE c.%I IN (SELECT id FROM old_rows)', TG_ARGV[0], TG_ARGV[1]);
  RETURN NULL;
END $$;--> statement-breakpoint

-- Update: a reference never changes after insert (none of these is ever repointed).
CREATE OR REPLACE FUNCTION app_ref_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE foreign_key_violation USING
    MESSAGE = format('update on %s: %s cannot change', TG_TABLE_NAME, TG_ARGV[0]),
    TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
END $$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION app_set_ref(child regclass, col text, parent regclass) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  child_name text := (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = child);
  parent_name text := (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent);
  child_rel text := (SELECT relname FROM pg_class WHERE oid = child);
BEGIN
  EXECUTE format(
    'CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_ref_check(%L, %L)',
    col || '_ref_check', child_name, col, parent_name);
  EXECUTE format(
    'CREATE TRIGGER %I BEFORE UPDATE OF %I ON %s FOR EACH ROW WHEN (OLD.%I IS DISTINCT FROM NEW.%I) EXECUTE FUNCTION app_ref_immutable(%L)',
    col || '_ref_immutable', col, child_name, col, col, col);
  EXECUTE format(
    'CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app_ref_cascade(%L, %L)',
    child_rel || '_' || col || '_ref_cascade', parent_name, child_name, col);
END $$;--> statement-breakpoint

SELECT app_set_ref('contact', 'workspace_id', 'workspace');--> statement-breakpoint
SELECT app_set_ref('contact_group_member', 'contact_id', 'contact');--> statement-breakpoint
SELECT app_set_ref('contact_group_member', 'group_id', 'contact_group');
