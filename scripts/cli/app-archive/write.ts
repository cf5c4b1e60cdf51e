/**
 * Writes an app archive (format.ts) of the database at `url`: one REPEATABLE READ, READ ONLY
 * transaction as the owner (row security off, so a policy can never silently hide rows), every
 * table's rows streamed with `COPY (SELECT …) TO STDOUT` into gzip.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { CliError } from "../command";
import { readSequences, readTables } from "./catalog";
import { COPY_SETTINGS, FORMAT_VERSION, RecordKind, qualified, quoteIdent } from "./format";
import type { ArchiveHeader } from "./format";
import { appliedMigrations, localMigrations } from "./migrations";
import { countQueue, queuePages } from "./queue-source";
import { ArchiveWriter } from "./records";

export type WriteSummary = { tables: number; rows: number; jobs: number; schedules: number };

async function header(client: pg.ClientBase): Promise<ArchiveHeader> {
  const applied = await appliedMigrations(client);
  if (applied.length === 0) {
    throw new CliError("The database has no SalesTrack migrations: nothing to back up");
  }
  const tags = new Map(localMigrations().map((m) => [m.when, m.tag]));
  const tables = await readTables(client);
  const { rows: server } = await client.query<{ v: string; n: string; db: string }>(
    "select version() as v, current_setting('server_version_num') as n, current_database() as db",
  );
  return {
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    server: { version: server[0]!.v, versionNum: Number(server[0]!.n) },
    database: server[0]!.db,
    settings: { ...COPY_SETTINGS },
    migrations: applied.map((m) => ({ ...m, tag: tags.get(m.when) ?? null })),
    tables,
    sequences: await readSequences(client),
    queue: await countQueue(client),
  };
}

async function copyTable(
  client: pg.ClientBase,
  out: ArchiveWriter,
  table: ArchiveHeader["tables"][number],
): Promise<void> {
  const columns = table.columns.map(quoteIdent).join(", ");
  const source = client.query(
    copyTo(`COPY (SELECT ${columns} FROM ${qualified(table.name)}) TO STDOUT`),
  );
  const hash = createHash("sha256");
  await out.json(RecordKind.tableBegin, { name: table.name });
  for await (const chunk of source as AsyncIterable<Buffer>) {
    hash.update(chunk);
    await out.record(RecordKind.data, chunk);
  }
  if (source.rowCount !== table.rows) {
    throw new CliError(
      `${table.name}: ${source.rowCount} rows copied where the snapshot counted ${table.rows}`,
    );
  }
  await out.json(RecordKind.tableEnd, {
    name: table.name,
    rows: source.rowCount,
    sha256: hash.digest("hex"),
  });
}

export async function writeAppArchive(url: string, file: string): Promise<WriteSummary> {
  const client = new pg.Client({
    connectionString: url,
    application_name: "salestrack-backup",
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  const out = new ArchiveWriter(file);
  try {
    await client.query("begin isolation level repeatable read, read only");
    for (const [name, value] of Object.entries(COPY_SETTINGS)) {
      await client.query("select set_config($1, $2, true)", [name, value]);
    }
    await client.query("set local row_security = off");
    const head = await header(client);
    await out.begin();
    await out.json(RecordKind.header, head);
    for (const table of head.tables) await copyTable(client, out, table);
    if (head.queue) {
      for await (const page of queuePages(client)) {
        await out.record(RecordKind.queue, page.map((item) => JSON.stringify(item)).join("\n"));
      }
    }
    await out.json(RecordKind.end, { tables: head.tables.length });
    await client.query("commit");
    await out.close();
    return {
      tables: head.tables.length,
      rows: head.tables.reduce((sum, t) => sum + t.rows, 0),
      jobs: head.queue?.jobs ?? 0,
      schedules: head.queue?.schedules ?? 0,
    };
  } catch (err) {
    out.destroy();
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
