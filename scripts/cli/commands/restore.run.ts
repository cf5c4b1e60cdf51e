import { open } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { runMigrations } from "@/server/db/migrate";
import { CliError, type CliIO } from "../command";
import { requirePgTool, splitPassword, toolEnv } from "../pg-tools";
import { runTool } from "./backup.run";
import type { RestoreArgs } from "./restore";

/** pg_dump's custom format starts with these bytes. */
async function isCustomArchive(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch(() => null);
  if (!handle) throw new CliError(`Cannot read ${file}`);
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    return bytesRead === 5 && buffer.toString("latin1") === "PGDMP";
  } finally {
    await handle.close();
  }
}

/** Refuses a target holding any table, and prepares the app role as migration 0001 does. */
async function prepareTarget(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
          and n.nspname not like 'pg_toast%'`,
    );
    if (rows[0]!.n > 0) {
      throw new CliError(
        `The target database is not empty (${rows[0]!.n} tables): restore into a new database`,
      );
    }
    await client.query(`DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'salestrack_app') THEN
          CREATE ROLE salestrack_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      END $$`);
    await client.query("GRANT salestrack_app TO CURRENT_USER");
  } finally {
    await client.end();
  }
}

export async function run(args: RestoreArgs, io: CliIO): Promise<void> {
  const file = path.resolve(args.file);
  if (!(await isCustomArchive(file))) {
    throw new CliError(`${file} is not a pg_dump custom-format backup`);
  }
  const pgRestore = await requirePgTool("pg_restore", 0);
  await prepareTarget(args.into);
  const { url: dbname, password } = splitPassword(args.into);
  const started = Date.now();
  await runTool(
    pgRestore.path,
    ["--no-owner", "--exit-on-error", "--single-transaction", `--dbname=${dbname}`, file],
    toolEnv(pgRestore, password),
  );
  // A backup taken by an older version of the app is brought up to this one's schema.
  await runMigrations(args.into);
  io.out(splitPassword(args.into).url);
  io.note(
    `Restored ${file} with ${pgRestore.path} (${pgRestore.major}) in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}
