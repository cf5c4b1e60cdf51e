/**
 * The database a restore writes into: reached with one clear line when it cannot be, refused
 * when it already holds the app (unless --force), and given the app role the migrations
 * expect. Shared by both archive formats.
 */
import pg from "pg";
import { CliError } from "./command";
import { splitPassword } from "./pg-tools";

export async function connectTarget(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new CliError(
      `Cannot reach the target database ${splitPassword(url).url}: ${(err as Error).message}`,
    );
  }
  return client;
}

/** How much of the app the target holds: tables in public, and whether drizzle migrated it. */
export async function targetContents(client: pg.ClientBase) {
  const { rows } = await client.query<{ tables: number; migrated: boolean }>(
    `select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition) as tables,
            to_regclass('drizzle.__drizzle_migrations') is not null as migrated`,
  );
  return rows[0]!;
}

/** Refuses a target holding any app table, unless the restore was told to replace it. */
export async function refuseNonEmpty(client: pg.ClientBase, force: boolean): Promise<void> {
  const { tables, migrated } = await targetContents(client);
  if ((tables > 0 || migrated) && !force) {
    throw new CliError(
      `The target database is not empty (${tables} tables${migrated ? ", migrated by SalesTrack" : ""}): ` +
        "restore into a new database, or pass --force to replace its contents",
    );
  }
}

/**
 * --force: drops what a restore creates — the public schema's contents and the drizzle schema,
 * and pg-boss's schema when `queueSchema` (a pg_dump archive re-creates it; an app archive
 * keeps it and clears its work instead) — inside the caller's transaction, so a restore that
 * then fails leaves the target as it was. public is re-created as a new database has it.
 */
export async function clearTarget(
  client: pg.ClientBase,
  { queueSchema }: { queueSchema: boolean },
) {
  await client.query("drop schema if exists drizzle cascade");
  if (queueSchema) await client.query("drop schema if exists pgboss cascade");
  await client.query("drop schema if exists public cascade");
  await client.query("create schema public authorization pg_database_owner");
  await client.query("grant usage on schema public to public");
  await client.query("comment on schema public is 'standard public schema'");
}

/** The app role, created when missing and granted to the restoring user, as drizzle/0001 does. */
export async function prepareAppRole(client: pg.ClientBase): Promise<void> {
  await client.query(`DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'salestrack_app') THEN
        CREATE ROLE salestrack_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    END $$`);
  await client.query("GRANT salestrack_app TO CURRENT_USER");
}
