/**
 * Restores an app archive (format.ts) in ONE transaction: the target is migrated to the
 * archive's level, the partitions the source had are created, each table's rows are copied in
 * (the archive's order is foreign-key safe) with the tables' own triggers off — as pg_dump
 * loads data before it creates triggers — and checked against the archive (sha256 of every
 * table's data, row counts), sequences are set, the pending pg-boss work is queued, then the
 * migrations this version has on top are applied. Anything wrong rolls all of it back.
 */
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { CliError } from "../command";
import { clearTarget, prepareAppRole } from "../restore-target";
import { qualified, quoteIdent, type ArchiveHeader, type ArchiveTable } from "./format";
import { applyMigrations } from "./migrations";
import type { QueueRestore } from "./queue-restore";
import type { ArchiveReader } from "./records";
import { openArchive, readTable, readToEnd, type QueueCounts, type RestorePlan } from "./scan";

/** Every table of the archive must exist once migrated: a table added by hand is not restored. */
async function requireTables(client: pg.ClientBase, header: ArchiveHeader): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    "select name from unnest($1::text[]) name where to_regclass('public.' || quote_ident(name)) is null",
    [header.tables.map((t) => t.name)],
  );
  if (rows.length > 0) {
    throw new CliError(
      `The archive has tables SalesTrack's migrations do not create (${rows.map((r) => r.name).join(", ")}): ` +
        "back that database up with --format pgdump",
    );
  }
}

/** The source's partitions that the target lacks, with the app role's grants the source had. */
async function createPartitions(client: pg.ClientBase, table: ArchiveTable): Promise<void> {
  for (const part of table.partitions) {
    const { rows } = await client.query<{ t: string | null }>("select to_regclass($1)::text as t", [
      qualified(part.name),
    ]);
    if (rows[0]!.t) continue;
    await client.query(
      `create table ${qualified(part.name)} partition of ${qualified(table.name)} ${part.bound}`,
    );
    await client.query(`revoke all on ${qualified(part.name)} from salestrack_app`);
    if (part.appPrivileges.length > 0) {
      await client.query(
        `grant ${part.appPrivileges.join(", ")} on ${qualified(part.name)} to salestrack_app`,
      );
    }
  }
}

type Trigger = { table: string; name: string; enabled: string };

/** The enabled user triggers of the restored tables, switched off for the load. */
async function disableTriggers(client: pg.ClientBase, tables: string[]): Promise<Trigger[]> {
  const { rows } = await client.query<Trigger>(
    `select c.relname as table, t.tgname as name, t.tgenabled as enabled
       from pg_trigger t join pg_class c on c.oid = t.tgrelid
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = any($1) and not t.tgisinternal
        and t.tgparentid = 0 and t.tgenabled <> 'D'`,
    [tables],
  );
  for (const t of rows) {
    await client.query(`alter table ${qualified(t.table)} disable trigger ${quoteIdent(t.name)}`);
  }
  return rows;
}

async function enableTriggers(client: pg.ClientBase, triggers: Trigger[]): Promise<void> {
  const how: Record<string, string> = { O: "", A: "always ", R: "replica " };
  for (const t of triggers) {
    await client.query(
      `alter table ${qualified(t.table)} enable ${how[t.enabled] ?? ""}trigger ${quoteIdent(t.name)}`,
    );
  }
}

/** Streams one table's data into COPY FROM; the rows PostgreSQL took must be the archive's. */
async function loadTable(
  client: pg.ClientBase,
  reader: ArchiveReader,
  table: ArchiveTable,
  file: string,
): Promise<void> {
  const columns = table.columns.map(quoteIdent).join(", ");
  const sink = client.query(copyFrom(`COPY ${qualified(table.name)} (${columns}) FROM STDIN`));
  try {
    await readTable(reader, table, file, async (chunk) => {
      if (!sink.write(chunk)) await once(sink, "drain");
    });
  } catch (err) {
    // Aborts the COPY (CopyFail), so the connection can roll back; the first error is reported.
    sink.destroy();
    await finished(sink).catch(() => undefined);
    throw err;
  }
  sink.end();
  await finished(sink);
  if (sink.rowCount !== table.rows) {
    throw new CliError(
      `Table ${table.name} took ${sink.rowCount} rows where the archive has ${table.rows}: nothing was restored`,
    );
  }
}

async function setSequences(client: pg.ClientBase, header: ArchiveHeader): Promise<void> {
  for (const seq of header.sequences) {
    await client.query("select setval($1::regclass, $2::bigint, $3)", [
      qualified(seq.name),
      seq.lastValue,
      seq.isCalled,
    ]);
  }
}

/**
 * The whole restore, in one transaction on `client`, reading the archive again from the start
 * (`verifyArchive` has read it once). Commits only after the end record.
 */
export async function restoreInTransaction(
  client: pg.ClientBase,
  file: string,
  { force, queue }: { force: boolean; queue: QueueRestore },
): Promise<{ plan: RestorePlan; queued: QueueCounts }> {
  const { reader, plan } = await openArchive(file);
  const { header, migrations } = plan;
  try {
    await client.query("begin");
    if (force) {
      await clearTarget(client, { queueSchema: false });
      await queue.clear(client);
    }
    await prepareAppRole(client);
    await applyMigrations(client, migrations.upTo);
    for (const [name, value] of Object.entries(header.settings)) {
      await client.query("select set_config($1, $2, true)", [name, value]);
    }
    await requireTables(client, header);
    for (const table of header.tables) await createPartitions(client, table);
    const triggers = await disableTriggers(
      client,
      header.tables.map((t) => t.name),
    );
    for (const table of header.tables) await loadTable(client, reader, table, file);
    await enableTriggers(client, triggers);
    await setSequences(client, header);
    const queued = await readToEnd(reader, header, file, (payload) => queue.add(client, payload));
    await applyMigrations(client, migrations.after);
    await client.query("commit");
    return { plan, queued };
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    await reader.close();
  }
}
