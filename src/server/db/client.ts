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
    throw new AppError(
      "INTERNAL",
      "DATABASE_URL is not set (the launcher sets it for the embedded Postgres)",
    );
  }
  return env.DATABASE_URL;
}

/** Pool of the app role: subject to row-level security. Used by every request. */
export function appPool(): pg.Pool {
  if (!pools.app) {
    const pool = new pg.Pool({
      connectionString: env.DATABASE_APP_URL ?? ownerUrl(),
      max: env.DATABASE_POOL_MAX,
      // Waiting for a free connection fails after 10 s instead of hanging the request.
      connectionTimeoutMillis: 10_000,
      application_name: "salestrack-app",
      // Single-URL setups log in as the owner and become the app role in the startup packet:
      // no query can ever run on the connection before the role is set.
      ...(env.DATABASE_APP_URL ? {} : { options: `-c role=${APP_ROLE}` }),
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

export async function closeDatabase(): Promise<void> {
  const { app, owner } = pools;
  pools.app = pools.owner = pools.appDb = pools.ownerDb = undefined;
  await Promise.all([app?.end(), owner?.end()]);
}
