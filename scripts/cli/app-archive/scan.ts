/**
 * Reading an app archive in order — header, each table's data, the queue records, the end —
 * with every check the format allows: the header's version, each table's sha256 and row
 * count, the pending jobs against the header's counts, and the end record that proves the
 * file is whole. `verifyArchive` runs them all before a restore touches the target.
 */
import { createHash } from "node:crypto";
import { CliError } from "../command";
import {
  FORMAT_VERSION,
  RecordKind,
  endSchema,
  headerSchema,
  parseQueueRecord,
  tableEndSchema,
  type ArchiveHeader,
  type ArchiveTable,
  type QueueItem,
} from "./format";
import { localMigrations, splitAtLevel } from "./migrations";
import { ArchiveReader } from "./records";

export type RestorePlan = { header: ArchiveHeader; migrations: ReturnType<typeof splitAtLevel> };
export type QueueCounts = { schedules: number; jobs: number };

function json(payload: Buffer): unknown {
  return JSON.parse(payload.toString("utf8"));
}

function damaged(file: string, what: string): CliError {
  return new CliError(`${file} is damaged (${what}): nothing was restored`);
}

/** Opens the archive and reads its header; refuses anything this version cannot restore. */
export async function openArchive(
  file: string,
): Promise<{ reader: ArchiveReader; plan: RestorePlan }> {
  const reader = new ArchiveReader(file);
  try {
    if (!(await reader.begin())) throw new CliError(`${file} is not a SalesTrack backup`);
    const first = await reader.next();
    if (first.kind !== RecordKind.header) throw damaged(file, "no header");
    const raw = json(first.payload) as { formatVersion?: unknown };
    if (typeof raw.formatVersion === "number" && raw.formatVersion > FORMAT_VERSION) {
      throw new CliError(
        `${file} is an app archive of format ${raw.formatVersion}; this version of SalesTrack ` +
          `reads up to ${FORMAT_VERSION}: restore it with a newer SalesTrack`,
      );
    }
    const parsed = headerSchema.safeParse(raw);
    if (!parsed.success) throw damaged(file, "malformed header");
    const migrations = splitAtLevel(localMigrations(), parsed.data.migrations);
    return { reader, plan: { header: parsed.data, migrations } };
  } catch (err) {
    await reader.close();
    throw err;
  }
}

/** One table's records: each data chunk goes to `onData`; the checksum and count are checked. */
export async function readTable(
  reader: ArchiveReader,
  table: ArchiveTable,
  file: string,
  onData: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  const begin = await reader.next();
  const named = begin.kind === RecordKind.tableBegin && (json(begin.payload) as { name?: unknown });
  if (!named || named.name !== table.name) throw damaged(file, `table ${table.name} is missing`);
  const hash = createHash("sha256");
  let record = await reader.next();
  while (record.kind === RecordKind.data) {
    hash.update(record.payload);
    await onData(record.payload);
    record = await reader.next();
  }
  const end = record.kind === RecordKind.tableEnd && tableEndSchema.safeParse(json(record.payload));
  if (!end || !end.success || end.data.name !== table.name) {
    throw damaged(file, `table ${table.name} has no end`);
  }
  if (end.data.sha256 !== hash.digest("hex")) {
    throw damaged(file, `the checksum of table ${table.name} does not match`);
  }
  if (end.data.rows !== table.rows) {
    throw damaged(
      file,
      `table ${table.name} has ${end.data.rows} rows, its header says ${table.rows}`,
    );
  }
}

/** The queue records up to the end record; `onQueue` takes each one's payload. */
export async function readToEnd(
  reader: ArchiveReader,
  header: ArchiveHeader,
  file: string,
  onQueue: (payload: Buffer) => Promise<QueueCounts>,
): Promise<QueueCounts> {
  const seen = { schedules: 0, jobs: 0 };
  for (;;) {
    const record = await reader.next();
    if (record.kind === RecordKind.queue) {
      const added = await onQueue(record.payload);
      seen.schedules += added.schedules;
      seen.jobs += added.jobs;
      continue;
    }
    const end = record.kind === RecordKind.end && endSchema.safeParse(json(record.payload));
    if (!end || !end.success || end.data.tables !== header.tables.length) {
      throw damaged(file, "its end record is missing or wrong");
    }
    const expected = header.queue ?? { schedules: 0, jobs: 0 };
    if (seen.jobs !== expected.jobs || seen.schedules !== expected.schedules) {
      throw damaged(file, "its pending jobs do not match its header");
    }
    return seen;
  }
}

/** Reads the whole archive once, checking everything, before the target is touched. */
export async function verifyArchive(file: string): Promise<RestorePlan> {
  const { reader, plan } = await openArchive(file);
  try {
    for (const table of plan.header.tables) {
      await readTable(reader, table, file, async () => undefined);
    }
    await readToEnd(reader, plan.header, file, async (payload) => {
      let items: QueueItem[];
      try {
        items = parseQueueRecord(payload);
      } catch {
        throw damaged(file, "a pending job is malformed");
      }
      const schedules = items.filter((i) => i.type === "schedule").length;
      return { schedules, jobs: items.length - schedules };
    });
    return plan;
  } finally {
    await reader.close();
  }
}
