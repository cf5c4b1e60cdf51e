-- The app role: owns nothing, has no BYPASSRLS, and is what every request runs as.
-- The migrating owner is made a member so a single-URL setup can `SET ROLE salestrack_app`;
-- production may instead log in as its own role that is granted salestrack_app.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'salestrack_app') THEN
    CREATE ROLE salestrack_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;--> statement-breakpoint
GRANT salestrack_app TO CURRENT_USER;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO salestrack_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO salestrack_app;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO salestrack_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO salestrack_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO salestrack_app;--> statement-breakpoint
-- The audit trail is append-only for the app.
REVOKE UPDATE, DELETE ON audit_log FROM salestrack_app;--> statement-breakpoint

-- Per-transaction tenant context, set by the app with set_config(..., true).
CREATE OR REPLACE FUNCTION app_current_workspace() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.workspace_id', true), '')::uuid $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_current_user() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;--> statement-breakpoint

-- One call per tenant table: rows are visible and writable only inside their workspace.
CREATE OR REPLACE FUNCTION app_enable_tenant_rls(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO salestrack_app USING (workspace_id = app_current_workspace()) WITH CHECK (workspace_id = app_current_workspace())',
    tbl);
END
$$;--> statement-breakpoint

SELECT app_enable_tenant_rls('audit_log');--> statement-breakpoint

-- Memberships: visible inside the current workspace, and a user's own (for the switcher).
ALTER TABLE membership ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY membership_read ON membership FOR SELECT TO salestrack_app
  USING (workspace_id = app_current_workspace() OR user_id = app_current_user());--> statement-breakpoint
CREATE POLICY membership_write ON membership FOR ALL TO salestrack_app
  USING (workspace_id = app_current_workspace()) WITH CHECK (workspace_id = app_current_workspace());--> statement-breakpoint

-- Workspaces: the current one, plus those the current user belongs to.
ALTER TABLE workspace ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY workspace_read ON workspace FOR SELECT TO salestrack_app
  USING (id = app_current_workspace()
    OR EXISTS (SELECT 1 FROM membership m WHERE m.workspace_id = workspace.id AND m.user_id = app_current_user()));--> statement-breakpoint
CREATE POLICY workspace_write ON workspace FOR ALL TO salestrack_app
  USING (id = app_current_workspace()) WITH CHECK (id = app_current_workspace());
