/**
 * The database as a second line of defence (docs/security.md, "Database and deployment"):
 * requests log in as a role of their own that can neither become the owner or a superuser
 * nor leave row-level security; it sees no provider tokens and only the people it works
 * with; and the provider tokens are sealed at rest.
 *
 * Runs against the embedded default's own login role (startEmbeddedPostgres on the test
 * cluster hands it out, as it does to `npm start`), or, on a TEST_DATABASE_URL server, a login
 * role made the same way (ensureAppLoginRole).
 */
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Client = typeof import("@/server/db/client");
type Tenant = typeof import("@/server/db/tenant");
type Fixtures = typeof import("../helpers/fixtures");
type TokenStore = typeof import("@/server/auth/token-store");
type SessionTable = typeof import("@/server/auth/auth-session.table");
type Audit = typeof import("@/modules/audit/audit.table");
type Queries = typeof import("@/modules/workspaces/workspaces.queries");
type User = import("@/modules/workspaces/workspaces.table").User;
type Workspace = import("@/modules/workspaces/workspaces.table").Workspace;

const quiet = { info: () => undefined, warn: () => undefined };
const PERMISSION_DENIED = "42501";

function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

/** The login role the app would use on this server, and how to clean it up. */
async function appLoginUrl(ownerUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { startEmbeddedPostgres, ensureAppLoginRole } = await import("@/server/db/embedded");
  const database = new URL(ownerUrl).pathname.slice(1);
  if (!process.env.TEST_DATABASE_URL) {
    // The same cluster global-setup started: reused, not restarted (stop() leaves it alone).
    const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54321);
    const handle = await startEmbeddedPostgres({
      dataDir: path.resolve(port === 54321 ? ".data/test" : `.data/test-${port}`),
      port,
      database,
      logger: quiet,
    });
    await handle.stop();
    return { url: handle.appUrl, drop: async () => undefined };
  }
  const role = `salestrack_app_login_t${process.pid}`;
  const password = randomBytes(18).toString("base64url");
  const admin = new pg.Client({ connectionString: ownerUrl });
  await admin.connect();
  await ensureAppLoginRole(admin, { role, password });
  await admin.end();
  return {
    url: withUser(ownerUrl, role, password),
    drop: async () => {
      const c = new pg.Client({ connectionString: ownerUrl });
      await c.connect();
      await c.query(`drop role if exists ${c.escapeIdentifier(role)}`);
      await c.end();
    },
  };
}

describe("the app's database login", () => {
  const ownerUrl = process.env.DATABASE_URL!;
  let login: { url: string; drop(): Promise<void> };
  let raw: pg.Client;
  let client: Client;
  let tenant: Tenant;
  let fx: Fixtures;
  let store: TokenStore;
  let table: SessionTable;
  let audit: Audit;
  let queries: Queries;

  let a: Workspace;
  let b: Workspace;
  let alice: User; // admin of A
  let olga: User; // operator of A
  let bob: User; // member of B only
  let dave: User; // acted in A, no longer a member

  beforeAll(async () => {
    login = await appLoginUrl(ownerUrl);
    // src/env.ts reads process.env once, at import: set it, then load the app's modules
    // (drizzle-orm and pg read no configuration, so they are imported as usual).
    process.env.DATABASE_APP_URL = login.url;
    client = await import("@/server/db/client");
    tenant = await import("@/server/db/tenant");
    fx = await import("../helpers/fixtures");
    store = await import("@/server/auth/token-store");
    table = await import("@/server/auth/auth-session.table");
    audit = await import("@/modules/audit/audit.table");
    queries = await import("@/modules/workspaces/workspaces.queries");

    raw = new pg.Client({ connectionString: login.url });
    await raw.connect();

    [a, b] = await Promise.all([fx.createWorkspace(), fx.createWorkspace()]);
    [alice, olga, bob, dave] = await Promise.all([
      fx.createUser(),
      fx.createUser(),
      fx.createUser(),
      fx.createUser(),
    ]);
    await fx.addMember(a, alice, "admin", "owner");
    await fx.addMember(a, olga, "operator");
    await fx.addMember(b, bob, "admin", "owner");
    await client
      .systemDb()
      .insert(audit.auditLogs)
      .values({ workspaceId: a.id, actorUserId: dave.id, action: "test.left-since" });
  });

  afterAll(async () => {
    await raw?.end();
    await client?.closeDatabase();
    await login?.drop();
  });

  async function pgError(sql: string): Promise<string | undefined> {
    try {
      await raw.query(sql);
    } catch (err) {
      return (err as { code?: string }).code;
    }
    return undefined;
  }

  describe("the login role", () => {
    it("is no superuser, cannot bypass RLS or create roles, and belongs to salestrack_app only", async () => {
      const { rows } = await raw.query<{
        rolsuper: boolean;
        rolbypassrls: boolean;
        rolcreaterole: boolean;
        rolcreatedb: boolean;
        member_of: string[];
      }>(
        `select r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid
                       where m.member = r.oid) as member_of
           from pg_roles r where r.rolname = session_user`,
      );
      expect(rows[0]).toEqual({
        rolsuper: false,
        rolbypassrls: false,
        rolcreaterole: false,
        rolcreatedb: false,
        member_of: ["salestrack_app"],
      });
    });

    it("cannot SET ROLE to the owner, a superuser or salestrack_owner, nor take another session's identity", async () => {
      const { rows } = await raw.query<{ owner: string }>(
        `select tableowner as owner from pg_tables where schemaname = 'public' and tablename = 'workspace'`,
      );
      const owner = rows[0]!.owner;
      expect(await pgError(`set role ${raw.escapeIdentifier(owner)}`)).toBe(PERMISSION_DENIED);
      expect(await pgError("set role postgres")).toBe(PERMISSION_DENIED);
      // The compose owner (deploy/postgres/init.sql); made here if this server has none.
      const admin = new pg.Client({ connectionString: ownerUrl });
      await admin.connect();
      await admin.query(`do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'salestrack_owner') then
          create role salestrack_owner nologin; end if; end $$`);
      await admin.end();
      expect(await pgError("set role salestrack_owner")).toBe(PERMISSION_DENIED);
      expect(await pgError("set session authorization postgres")).toBe(PERMISSION_DENIED);
      const { rows: after } = await raw.query<{ u: string }>("select current_user as u");
      expect(after[0]!.u).not.toBe(owner);
    });

    it("is what the app pool logs in as, acting as salestrack_app", async () => {
      const report = await client.describeAppRole();
      expect(report).toEqual({
        sessionUser: new URL(login.url).username,
        superuser: false,
        bypassRls: false,
        canBecomeOwner: false,
      });
      const users = await tenant.withTenant({ workspaceId: a.id }, async (tx) => {
        const res = await tx.execute<{ current_user: string }>(sql`select current_user`);
        return res.rows;
      });
      expect(users[0]!.current_user).toBe("salestrack_app");
    });
  });

  describe("identity tables through the app pool", () => {
    const ids = () => [alice.id, olga.id, bob.id, dave.id];

    async function visibleUsers(scope: { workspaceId?: string; userId?: string }) {
      return tenant.withTenant(scope, async (tx) => {
        const res = await tx.execute<{ id: string }>(
          sql`select id from "user" where id in ${ids()}`,
        );
        return res.rows.map((r) => r.id).sort();
      });
    }

    it("shows the members of the current workspace, oneself and those who acted in it — nobody else", async () => {
      expect(await visibleUsers({ workspaceId: a.id, userId: alice.id })).toEqual(
        [alice.id, olga.id, dave.id].sort(),
      );
      expect(await visibleUsers({ workspaceId: b.id, userId: bob.id })).toEqual([bob.id]);
      expect(await visibleUsers({ userId: olga.id })).toEqual([olga.id]);
      expect(await visibleUsers({})).toEqual([]);
    });

    it("cannot write users, nor touch auth_session at all", async () => {
      expect(await pgError(`update "user" set name = 'x' where id = '${bob.id}'`)).toBe(
        PERMISSION_DENIED,
      );
      expect(await pgError(`insert into "user" (sub) values ('sub-${randomUUID()}')`)).toBe(
        PERMISSION_DENIED,
      );
      expect(await pgError(`delete from "user" where id = '${bob.id}'`)).toBe(PERMISSION_DENIED);
      expect(await pgError("select count(*) from auth_session")).toBe(PERMISSION_DENIED);
      expect(await pgError("delete from auth_session")).toBe(PERMISSION_DENIED);
    });

    it("finds someone by email for an admin adding a member, and for nobody else", async () => {
      const find = (scope: { workspaceId: string; userId: string }) =>
        tenant.withTenant(scope, (tx) => queries.findUserByEmail(tx, bob.email!.toUpperCase()));
      expect(await find({ workspaceId: a.id, userId: alice.id })).toEqual({
        id: bob.id,
        email: bob.email,
      });
      expect(await find({ workspaceId: a.id, userId: olga.id })).toBeNull();
      // An admin of B asking inside A (a forged context) is no admin of A.
      expect(await find({ workspaceId: a.id, userId: bob.id })).toBeNull();
    });
  });

  describe("provider tokens at rest", () => {
    const tokens = {
      accessToken: `eyJhbGciOiJSUzI1NiJ9.access-${randomUUID()}.sig`,
      refreshToken: `eyJhbGciOiJIUzI1NiJ9.refresh-${randomUUID()}.sig`,
      idToken: `eyJhbGciOiJSUzI1NiJ9.id-${randomUUID()}.sig`,
    };

    async function storedRow(id: string) {
      const [row] = await client
        .systemDb()
        .select()
        .from(table.authSessions)
        .where(eq(table.authSessions.id, id));
      return row ?? null;
    }

    it("are sealed in the table and opened for sign-out", async () => {
      const sid = await store.createAuthSession(alice.id, {
        ...tokens,
        expiresAt: new Date(Date.now() + 10 * 60_000),
      });
      const row = await storedRow(sid);
      for (const [column, plain] of Object.entries(tokens)) {
        const stored = row![column as keyof typeof tokens]!;
        expect(stored).toMatch(/^v1\./);
        expect(stored).not.toContain(plain.split(".")[1]);
      }
      expect(await store.ensureFreshTokens(sid)).toBeInstanceOf(Date);
      expect(await store.endAuthSession(sid)).toEqual({
        idToken: tokens.idToken,
        userId: alice.id,
      });
    });

    it("reads a row written before sealing once, and seals it", async () => {
      const sid = randomBytes(24).toString("base64url");
      const updatedAt = new Date(Date.now() - 60_000);
      await client
        .systemDb()
        .insert(table.authSessions)
        .values({
          id: sid,
          userId: alice.id,
          ...tokens,
          accessTokenExpiresAt: new Date(Date.now() + 10 * 60_000),
          updatedAt,
        });
      expect(await store.ensureFreshTokens(sid)).toBeInstanceOf(Date);
      const row = await storedRow(sid);
      expect(row!.accessToken).toMatch(/^v1\./);
      expect(row!.refreshToken).toMatch(/^v1\./);
      expect(row!.idToken).toMatch(/^v1\./);
      // Sealing is no activity: the access token's age and the idle clock stay as they were.
      expect(row!.updatedAt.getTime()).toBe(updatedAt.getTime());
      expect(await store.endAuthSession(sid)).toEqual({
        idToken: tokens.idToken,
        userId: alice.id,
      });
    });

    it("does not open a sealed token copied into another session", async () => {
      const first = await store.createAuthSession(alice.id, {
        ...tokens,
        expiresAt: new Date(Date.now() + 10 * 60_000),
      });
      const copied = await storedRow(first);
      const sid = randomBytes(24).toString("base64url");
      await client
        .systemDb()
        .insert(table.authSessions)
        .values({ ...copied!, id: sid, userId: olga.id });
      // Unreadable tokens end that session; the one they were sealed for is untouched.
      expect(await store.ensureFreshTokens(sid)).toBeNull();
      expect(await storedRow(sid)).toBeNull();
      expect(await store.endAuthSession(first)).toEqual({
        idToken: tokens.idToken,
        userId: alice.id,
      });
    });
  });
});
