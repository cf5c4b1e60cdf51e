/**
 * The migrations build a working schema from nothing, can run again without harm, and leave
 * the app role unable to bypass row-level security.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, runMigrations } from "@/server/db/migrate";

const database = `salestrack_migrate_${process.pid}_${Date.now().toString(36)}`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// Create/drop statements go through the suite's own database: any database of the server will do.
const serverUrl = process.env.DATABASE_URL!;
const freshUrl = withDatabase(process.env.DATABASE_URL!, database);

describe("migrations on an empty database", () => {
  let client: pg.Client;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database "${database}"`);
    await admin.end();

    await runMigrations(freshUrl);
    // A second run (every process start does one) must be a no-op, not an error.
    await runMigrations(freshUrl);

    client = new pg.Client({ connectionString: freshUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${database}" with (force)`);
    await admin.end();
  });

  it("creates the identity, audit and session tables", async () => {
    const { rows } = await client.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = 'public' order by tablename",
    );
    expect(rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(["user", "workspace", "membership", "audit_log", "auth_session"]),
    );
  });

  it("records each migration exactly once despite the second run", async () => {
    const { rows } = await client.query<{ n: string }>(
      "select count(*)::text as n from drizzle.__drizzle_migrations",
    );
    const journal = JSON.parse(
      readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"),
    ) as { entries: unknown[] };
    expect(Number(rows[0]!.n)).toBe(journal.entries.length);
  });

  it("has an app role without BYPASSRLS that owns no tables", async () => {
    const role = await client.query<{ rolbypassrls: boolean; rolsuper: boolean }>(
      "select rolbypassrls, rolsuper from pg_roles where rolname = 'salestrack_app'",
    );
    expect(role.rows).toEqual([{ rolbypassrls: false, rolsuper: false }]);

    const owned = await client.query(
      "select tablename from pg_tables where tableowner = 'salestrack_app'",
    );
    expect(owned.rows).toEqual([]);
  });

  it("enables row-level security on every tenant table", async () => {
    const { rows } = await client.query<{ relname: string; relrowsecurity: boolean }>(
      `select relname, relrowsecurity from pg_class
        where relnamespace = 'public'::regnamespace
          and relname in ('membership', 'workspace', 'audit_log')
        order by relname`,
    );
    expect(rows).toEqual([
      { relname: "audit_log", relrowsecurity: true },
      { relname: "membership", relrowsecurity: true },
      { relname: "workspace", relrowsecurity: true },
    ]);
  });

  it("keeps the audit trail append-only for the app role", async () => {
    const { rows } = await client.query<Record<string, boolean>>(
      `select has_table_privilege('salestrack_app', 'audit_log', 'INSERT') as can_insert,
              has_table_privilege('salestrack_app', 'audit_log', 'SELECT') as can_select,
              has_table_privilege('salestrack_app', 'audit_log', 'UPDATE') as can_update,
              has_table_privilege('salestrack_app', 'audit_log', 'DELETE') as can_delete`,
    );
    expect(rows[0]).toEqual({
      can_insert: true,
      can_select: true,
      can_update: false,
      can_delete: false,
    });
  });
});
