/**
 * The drizzle migration level of an archive, and migrations applied inside the restore's own
 * transaction (drizzle's migrator opens and commits a transaction of its own, which would split
 * the restore in two). Applied exactly as drizzle applies them — every statement of each file,
 * then its row in drizzle.__drizzle_migrations (hash, `when`) — so the app's migrator later
 * sees the same history and carries on from it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type pg from "pg";
import { z } from "zod";
import { migrationsFolder } from "@/server/db/migrate";
import { CliError } from "../command";

export type LocalMigration = { tag: string; when: number; hash: string; statements: string[] };
export type AppliedMigration = { when: number; hash: string };

const journalSchema = z.object({
  entries: z.array(z.object({ tag: z.string(), when: z.number() })),
});

/** This version's migrations, oldest first. */
export function localMigrations(): LocalMigration[] {
  const journal = journalSchema.parse(
    JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")),
  );
  const files = readMigrationFiles({ migrationsFolder });
  return journal.entries.map((entry, i) => ({
    tag: entry.tag,
    when: entry.when,
    hash: files[i]!.hash,
    statements: files[i]!.sql,
  }));
}

/** The migrations recorded in a database, oldest first; none when it was never migrated. */
export async function appliedMigrations(client: pg.ClientBase): Promise<AppliedMigration[]> {
  const { rows: exists } = await client.query<{ t: string | null }>(
    "select to_regclass('drizzle.__drizzle_migrations')::text as t",
  );
  if (!exists[0]!.t) return [];
  const { rows } = await client.query<{ hash: string; when: string }>(
    "select hash, created_at::text as when from drizzle.__drizzle_migrations order by created_at",
  );
  return rows.map((r) => ({ hash: r.hash, when: Number(r.when) }));
}

/**
 * Splits this version's migrations at an archive's level: `upTo` brings an empty database to
 * the archive's schema, `after` then to this version's. An archive holding a migration this
 * version does not know was written by a newer SalesTrack, and is refused.
 */
export function splitAtLevel(
  local: LocalMigration[],
  archived: { when: number; tag: string | null }[],
) {
  const unknown = archived.find((m, i) => local[i]?.when !== m.when);
  if (unknown) {
    throw new CliError(
      `The archive's schema has migration ${unknown.tag ?? unknown.when}, which this version of ` +
        `SalesTrack does not have in that place: restore it with the version that wrote it (or newer)`,
    );
  }
  return { upTo: local.slice(0, archived.length), after: local.slice(archived.length) };
}

/** Applies `migrations` on `client`, inside the caller's transaction. */
export async function applyMigrations(
  client: pg.ClientBase,
  migrations: LocalMigration[],
): Promise<void> {
  if (migrations.length === 0) return;
  await client.query("CREATE SCHEMA IF NOT EXISTS drizzle");
  await client.query(`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
    id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
  for (const migration of migrations) {
    for (const statement of migration.statements) await client.query(statement);
    await client.query(
      "insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)",
      [migration.hash, migration.when],
    );
  }
}
