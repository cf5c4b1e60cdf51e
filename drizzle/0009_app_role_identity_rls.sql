-- The identity tables sit outside any one workspace, so 0001 left them fully readable and
-- writable for the app role. Every write to them happens as the owner (sign-in provisioning,
-- token storage, refresh, sign-out, cleanup); the app role only ever reads people it works
-- with. Narrow its rights to exactly that, so SQL that slipped past the app cannot list every
-- user of every tenant or lift another user's provider tokens.

-- Provider tokens: nothing for the app role. RLS with no policy for it is a second wall
-- should a broad GRANT (0001's default privileges, a hand-made grant) ever bring rights back.
REVOKE ALL ON auth_session FROM salestrack_app;--> statement-breakpoint
ALTER TABLE auth_session ENABLE ROW LEVEL SECURITY;--> statement-breakpoint

-- Users: read-only, and only oneself, the members of the current workspace, and those who
-- acted in it (the audit log names people who have since left it).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "user" FROM salestrack_app;--> statement-breakpoint
ALTER TABLE "user" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY user_read ON "user" FOR SELECT TO salestrack_app
  USING (
    id = app_current_user()
    OR EXISTS (SELECT 1 FROM membership m
               WHERE m.user_id = "user".id AND m.workspace_id = app_current_workspace())
    OR EXISTS (SELECT 1 FROM audit_log a
               WHERE a.actor_user_id = "user".id AND a.workspace_id = app_current_workspace())
  );--> statement-breakpoint
-- Keeps the policy's audit clause an index probe per user row, however long the log grows.
-- Not declared in the Drizzle schema: it serves the policy, not the app's queries.
CREATE INDEX IF NOT EXISTS audit_log_workspace_actor_idx ON audit_log (workspace_id, actor_user_id)
  WHERE actor_user_id IS NOT NULL;--> statement-breakpoint

-- Adding a member by email has to find someone who is not in the workspace yet, which the
-- policy above hides. This owner-run function answers exactly that question — id and email
-- of one address — and only for an admin of the current workspace.
CREATE OR REPLACE FUNCTION app_find_user_by_email(p_email text)
  RETURNS TABLE (id uuid, email text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  SELECT u.id, u.email FROM "user" u
   WHERE lower(u.email) = lower(p_email)
     AND EXISTS (SELECT 1 FROM membership m
                  WHERE m.workspace_id = app_current_workspace()
                    AND m.user_id = app_current_user()
                    AND m.role = 'admin')
   LIMIT 1
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION app_find_user_by_email(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_find_user_by_email(text) TO salestrack_app;
