/**
 * Restores an app archive (format.ts) in ONE transaction: the target is migrated to the
 * archive's level, the partitions the source had are created, each table's rows are copied in
 * (the archive's order is foreign-key safe) with the tables' own triggers off — as pg_dump
 * loads data before it creates triggers — and verified against the archive (row counts,
 * sha256 of every table's data), sequences are set, then the migrations this version has on
 * top are applied. Anything wrong rolls all of it back.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { CliError } from "../command";
import { clearTarget, prepareAppRole } from "../restore-target";
import {
  FORMAT_VERSION,
  RecordKind,
  endSchema,
  headerSchema,
  qualified,
  quoteIdent,
  tableEndSchema,
  type ArchiveHeader,
  type ArchiveTable,
} from "./format";
import { applyMigrations, localMigrations, splitAtLevel } from "./migrations";
import type { QueueRestore } from "./queue-restore";
import type { ArchiveReader } from "./records";

export type RestorePlan = { header: ArchiveHeader; migrations: ReturnType<typeof splitAtLevel> };

function json(payload: Buffer): unknown {
  return JSON.parse(payload.toString("utf8"));
}

/** Reads and checks the header: refused before anything touches the target. */
export async function readPlan(reader: ArchiveReader, file: string): Promise<RestorePlan> {
  const first = await reader.next();
  if (first.kind !== RecordKind.header) throw new CliError(`${file} has no archive header`);
  const raw = json(first.payload) as { formatVersion?: unknown };
  if (typeof raw.formatVersion === "number" && raw.formatVersion > FORMAT_VERSION) {
    throw new CliError(
      `${file} is an app archive of format ${raw.formatVersion}; this version of SalesTrack ` +
        `reads up to ${FORMAT_VERSION}: restore it with a newer SalesTrack`,
    );
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${file} has a malformed archive header`);
  return {
    header: parsed.data,
    migrations: splitAtLevel(localMigrations(), parsed.data.migrations),
  };
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

/** Streams one table's D records into COPY FROM and checks them against its E record. */
async function loadTable(
  client: pg.ClientBase,
  reader: ArchiveReader,
  table: ArchiveTable,
  file: string,
): Promise<void> {
  const begin = await reader.next();
  const named = begin.kind === RecordKind.tableBegin && (json(begin.payload) as { name?: unknown });
  if (!named || named.name !== table.name) {
    throw new CliError(`${file} is damaged: the data of table ${table.name} is missing`);
  }
  const columns = table.columns.map(quoteIdent).join(", ");
  const sink = client.query(copyFrom(`COPY ${qualified(table.name)} (${columns}) FROM STDIN`));
  const hash = createHash("sha256");
  let record = await reader.next();
  try {
    while (record.kind === RecordKind.data) {
      hash.update(record.payload);
      if (!sink.write(record.payload)) await once(sink, "drain");
      record = await reader.next();
    }
  } catch (err) {
    // A COPY left open would keep the connection busy: end it, then report the first error.
    sink.destroy();
    await finished(sink).catch(() => undefined);
    throw err;
  }
  if (record.kind !== RecordKind.tableEnd) {
    sink.destroy();
    await finished(sink).catch(() => undefined);
    throw new CliError(`${file} is damaged: table ${table.name} has no end record`);
  }
  const end = tableEndSchema.parse(json(record.payload));
  if (end.sha256 !== hash.digest("hex") || end.name !== table.name) {
    sink.destroy();
    await finished(sink).catch(() => undefined);
    throw new CliError(`${file} is damaged: the checksum of table ${table.name} does not match`);
  }
  sink.end();
  await finished(sink);
  if (sink.rowCount !== end.rows || end.rows !== table.rows) {
    throw new CliError(
      `${file} is damaged: table ${table.name} loaded ${sink.rowCount} rows, the archive says ${table.rows}`,
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

/** Reads the queue records up to the Z record, which proves the archive is whole. */
async function readToEnd(
  client: pg.ClientBase,
  reader: ArchiveReader,
  header: ArchiveHeader,
  queue: QueueRestore,
  file: string,
): Promise<{ schedules: number; jobs: number }> {
  const restored = { schedules: 0, jobs: 0 };
  for (;;) {
    const record = await reader.next();
    if (record.kind === RecordKind.queue) {
      const added = await queue.add(client, record.payload);
      restored.schedules += added.schedules;
      restored.jobs += added.jobs;
      continue;
    }
    const end = record.kind === RecordKind.end && endSchema.safeParse(json(record.payload));
    if (!end || !end.success || end.data.tables !== header.tables.length) {
      throw new CliError(`${file} is damaged: its end record is missing or wrong`);
    }
    if (
      header.queue &&
      (restored.jobs !== header.queue.jobs || restored.schedules !== header.queue.schedules)
    ) {
      throw new CliError(`${file} is damaged: its pending jobs do not match its header`);
    }
    return restored;
  }
}

/**
 * The whole restore, in one transaction on `client`; `queue` puts the pending pg-boss work
 * back. Commits only after the end record was read.
 */
export async function restoreInTransaction(
  client: pg.ClientBase,
  reader: ArchiveReader,
  plan: RestorePlan,
  { file, force, queue }: { file: string; force: boolean; queue: QueueRestore },
): Promise<{ schedules: number; jobs: number }> {
  const { header, migrations } = plan;
  await client.query("begin");
  try {
    if (force) {
      await clearTarget(client, { queueSchema: false });
      await queue.clear(client);
    }
    await prepareAppRole(client);
    await applyMigrations(client, migrations.upTo);
    for (const [name, value] of Object.entries(header.settings)) {
      await client.query("select set_config($1, $2, true)", [name, value]);
    }
    for (const table of header.tables) await createPartitions(client, table);
    const triggers = await disableTriggers(
      client,
      header.tables.map((t) => t.name),
    );
    for (const table of header.tables) await loadTable(client, reader, table, file);
    await enableTriggers(client, triggers);
    await setSequences(client, header);
    const restored = await readToEnd(client, reader, header, queue, file);
    await applyMigrations(client, migrations.after);
    await client.query("commit");
    return restored;
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  }
}
