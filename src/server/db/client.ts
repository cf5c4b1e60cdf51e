import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "@/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import * as schema from "./schema";

export type Database = NodePgDatabase<typeof schema>;
export const APP_ROLE = "salestrack_app";

type Pools = { app?: pg.Pool; owner?: pg.Pool; appDb?: Database; ownerDb?: Database };
// One set of pools per process, even when Next loads this module more than once.
const pools: Pools = ((globalThis as { __salestrackPools?: Pools }).__salestrackPools ??= {});

function ownerUrl(): string {
  if (!env.DATABASE_URL) {
    throw new AppError("INTERNAL", "server.notConfigured", { params: { name: "DATABASE_URL" } });
  }
  return env.DATABASE_URL;
}

/**
 * Pool of the app role: subject to row-level security. Used by every request.
 *
 * With DATABASE_APP_URL (the embedded default, compose, the documented production setup) it
 * logs in as a login role that is only a member of `salestrack_app`: SQL that slipped past
 * the app can neither `SET ROLE` to the owner nor bypass row-level security. Without it the
 * pool logs in as the owner and only becomes the app role — acceptable for tests and a quick
 * trial, and warned about at start (`checkAppRole`).
 */
export function appPool(): pg.Pool {
  if (!pools.app) {
    const pool = new pg.Pool({
      connectionString: env.DATABASE_APP_URL ?? ownerUrl(),
      max: env.DATABASE_POOL_MAX,
      // Waiting for a free connection fails after 10 s instead of hanging the request.
      connectionTimeoutMillis: 10_000,
      application_name: "salestrack-app",
      // The role is set in the startup packet, so no query ever runs before it: the owner of
      // a single-URL setup becomes the app role, and a login role (inheriting it anyway)
      // runs as exactly the same `current_user`, whether it was granted INHERIT or not.
      options: `-c role=${APP_ROLE}`,
    });
    pool.on("error", (err) => logger.warn({ err: err.message }, "idle database connection lost"));
    pools.app = pool;
  }
  return pools.app;
}

/** Pool of the owner role: migrations, seeding, sign-in provisioning and pg-boss only. */
export function ownerPool(): pg.Pool {
  if (!pools.owner) {
    pools.owner = new pg.Pool({
      connectionString: ownerUrl(),
      max: Math.max(2, Math.ceil(env.DATABASE_POOL_MAX / 2)),
      application_name: "salestrack-system",
    });
    pools.owner.on("error", (err) =>
      logger.warn({ err: err.message }, "idle database connection lost"),
    );
  }
  return pools.owner;
}

export function db(): Database {
  pools.appDb ??= drizzle({ client: appPool(), schema, casing: "snake_case" });
  return pools.appDb;
}

export function systemDb(): Database {
  pools.ownerDb ??= drizzle({ client: ownerPool(), schema, casing: "snake_case" });
  return pools.ownerDb;
}

export type AppRoleReport = {
  sessionUser: string;
  superuser: boolean;
  bypassRls: boolean;
  /** Can become the role that owns the tables (and with it every row). */
  canBecomeOwner: boolean;
};

/** What the app pool really logs in as, for the start-up check and the tests. */
export async function describeAppRole(): Promise<AppRoleReport> {
  const { rows } = await appPool().query<{
    session_user: string;
    rolsuper: boolean;
    rolbypassrls: boolean;
    can_become_owner: boolean;
  }>(
    `select session_user, r.rolsuper, r.rolbypassrls,
            coalesce(pg_has_role(session_user, t.tableowner, 'MEMBER'), false) as can_become_owner
       from pg_roles r
       left join pg_tables t on t.schemaname = 'public' and t.tablename = 'workspace'
      where r.rolname = session_user`,
  );
  const row = rows[0]!;
  return {
    sessionUser: row.session_user,
    superuser: row.rolsuper,
    bypassRls: row.rolbypassrls,
    canBecomeOwner: row.can_become_owner,
  };
}

/**
 * Logs a warning when requests log in as a role that could step out of row-level security
 * (the owner or a superuser): the database then no longer backs the app up if SQL slips
 * through. Row-level security itself still applies to every query the app sends.
 */
export async function checkAppRole(): Promise<void> {
  const report = await describeAppRole();
  if (report.superuser || report.bypassRls || report.canBecomeOwner) {
    logger.warn(
      {
        ...report,
        fix: "set DATABASE_APP_URL to a login role granted salestrack_app (docs/deploy.md)",
      },
      "requests log in as a role that can leave row-level security",
    );
  }
}

export async function closeDatabase(): Promise<void> {
  const { app, owner } = pools;
  pools.app = pools.owner = pools.appDb = pools.ownerDb = undefined;
  await Promise.all([app?.end(), owner?.end()]);
}
