/**
 * A database of its own on the test server, migrated, for tests whose worker processes run
 * every queue (their jobs would otherwise pick up other files' work). Create it before any app
 * module reads the environment, then point `process.env.DATABASE_URL` at `url`.
 */
import pg from "pg";
import { runMigrations } from "@/server/db/migrate";

export type OwnDatabase = { name: string; url: string; drop(): Promise<void> };

async function asAdmin(serverUrl: string, sql: string) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** The URL a database named `<prefix>_<pid>_<time>` will have (it is not created yet). */
export function ownDatabaseUrl(prefix: string): { name: string; url: string } {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Creates and migrates the database `ownDatabaseUrl` named; `drop` removes it, connections and all. */
export async function createOwnDatabase(target: {
  name: string;
  url: string;
}): Promise<OwnDatabase> {
  const server = process.env.DATABASE_URL!;
  await asAdmin(server, `create database "${target.name}"`);
  await runMigrations(target.url);
  return {
    ...target,
    drop: () => asAdmin(server, `drop database if exists "${target.name}" with (force)`),
  };
}
