import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { encodeErrorRef, errorRef } from "@/lib/error-ref";
import { uuidv7 } from "@/lib/uuid-v7";
import { MAX_ATTRIBUTES } from "../contacts.schema";
import { suppressedAmong } from "@/modules/campaigns/suppressions.service";
import { logChanges, type ChangeLog, type ChangeRow } from "./change-log";

export type StageRow = {
  phone: string;
  nombre: string | null;
  sustantivo: string | null;
  groups: string[];
  attributes: Record<string, string>;
  /** The phone already appeared in an earlier batch of this file (counted as a duplicate). */
  repeat: boolean;
  /** The file's row it came from (its first, when later rows of the batch merged into it). */
  rowNumber: number;
  /** That row as CSV, made only when the row is rejected here. */
  raw: () => string;
};
export type RejectedRow = { rowNumber: number; raw: string; reason: string };
export type BatchCounts = {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Field changes on existing contacts, and how many of them the change list keeps. */
  changes: number;
  changesListed: number;
  /** Rows rejected here (not already counted as duplicates): see `overLimit`. */
  invalid: number;
};

// fillEmpty: the file's attributes whose key the contact lacks or has blank.
const EMPTY_KEYS_FROM_FILE = `coalesce((select jsonb_object_agg(k, v) from jsonb_each(excluded.attributes) as e(k, v)
  where coalesce(c.attributes ->> k, '') = ''), '{}'::jsonb)`;

// COPY text format: backslash, tab, newline and CR must be escaped; \N is NULL.
function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return value
    .replace(/\\/g, "\\\\")
    .replace(/\t/g, "\\t")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r");
}

/** The stage's COPY text, ~1,000 rows a chunk: no batch-sized string or buffer is built. */
function* stageChunks(rows: StageRow[], groupIds: GroupIds): Generator<string> {
  let out = "";
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const attrs = Object.keys(r.attributes).length ? JSON.stringify(r.attributes) : "{}";
    out += `${uuidv7()}\t${i}\t${copyText(r.phone)}\t${copyText(r.nombre)}\t${copyText(r.sustantivo)}\t${copyText(attrs)}\t${groupArray(r.groups, groupIds)}\t${r.repeat ? "t" : "f"}\n`;
    if ((i + 1) % 1000 === 0) {
      yield out;
      out = "";
    }
  }
  if (out) yield out;
}

/** The row's groups as a uuid[] literal (`{…}`), each group once, or NULL. */
function groupArray(names: string[], groupIds: GroupIds): string {
  if (names.length === 0) return "\\N";
  if (names.length === 1) return `{${groupIds.get(names[0]!)!}}`;
  // Names that differ only in case are the same group.
  return `{${[...new Set(names.map((n) => groupIds.get(n)!))].join(",")}}`;
}

export type GroupIds = Map<string, string>;

/**
 * Creates the rows' missing groups and returns each spelling's group id — matched by
 * Postgres's lower(), the same rule as the unique index — and the ids it created.
 */
/** A phone on the suppression list (opted out before, maybe as a since-deleted contact) is imported opted out. */
async function markSuppressedInserts(client: PoolClient, workspaceId: string) {
  const { rows } = await client.query<{ phone: string }>(
    "select phone from st_stage where inserted",
  );
  const suppressed = await suppressedAmong(
    client,
    workspaceId,
    rows.map((r) => r.phone),
  );
  if (suppressed.length === 0) return;
  await client.query(
    `update contact c set opted_out_at = s.since, opt_out_reason = 'suppressed'
       from unnest($2::text[], $3::timestamptz[]) as s(phone, since)
      where c.workspace_id = $1::uuid and c.phone = s.phone and c.opted_out_at is null`,
    [workspaceId, suppressed.map((s) => s.phone), suppressed.map((s) => s.since)],
  );
}

export async function resolveGroups(
  client: PoolClient,
  workspaceId: string,
  rows: StageRow[],
): Promise<{ ids: GroupIds; created: string[] }> {
  const names = new Set<string>();
  for (const r of rows) for (const g of r.groups) names.add(g);
  const ids: GroupIds = new Map();
  if (names.size === 0) return { ids, created: [] };
  const list = [...names];
  const { rows: created } = await client.query<{ id: string }>(
    `insert into contact_group (workspace_id, name)
     select distinct on (lower(n)) $1::uuid, n from unnest($2::text[]) with ordinality as t(n, i)
      order by lower(n), i
     on conflict (workspace_id, lower(name)) do nothing
     returning id`,
    [workspaceId, list],
  );
  const { rows: found } = await client.query<{ name: string; id: string }>(
    `select n as name, g.id from unnest($2::text[]) as n
       join contact_group g on g.workspace_id = $1::uuid and lower(g.name) = lower(n)`,
    [workspaceId, list],
  );
  for (const f of found) ids.set(f.name, f.id);
  return { ids, created: created.map((c) => c.id) };
}

/** Groups made for a batch that never committed, unless someone has used them since. */
export async function dropUnusedGroups(client: PoolClient, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query(
    `delete from contact_group g where g.id = any($1::uuid[])
       and not exists (select 1 from contact_group_member m where m.group_id = g.id)`,
    [ids],
  );
}

async function copyInto(client: PoolClient, sql: string, chunks: Iterable<string>) {
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}

/** Runs `fn`, noting how long it took under `label`. */
async function timed<T>(
  label: string,
  timings: Record<string, number>,
  fn: () => Promise<T>,
): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    timings[label] = Math.round(performance.now() - t);
  }
}

/** What an import may change on contacts that already exist (the preview's choice). */
export type ImportMode = "upsert" | "insertOnly" | "fillEmpty";

// The upsert per mode. `upsert`: a file's value replaces the contact's (a blank cell never
// wipes one). `fillEmpty`: only fields still empty take the file's value, attribute keys
// only when absent or blank. `insertOnly`: existing contacts are left alone. Unchanged rows
// are not rewritten (the WHERE), so they are not returned either.
const ON_CONFLICT: Record<ImportMode, string> = {
  upsert: `do update set
             nombre = coalesce(excluded.nombre, c.nombre),
             sustantivo = coalesce(excluded.sustantivo, c.sustantivo),
             attributes = c.attributes || excluded.attributes,
             updated_at = now()
           where (c.nombre, c.sustantivo, c.attributes)
                 is distinct from (coalesce(excluded.nombre, c.nombre), coalesce(excluded.sustantivo, c.sustantivo), c.attributes || excluded.attributes)`,
  fillEmpty: `do update set
             nombre = coalesce(nullif(c.nombre, ''), excluded.nombre),
             sustantivo = coalesce(nullif(c.sustantivo, ''), excluded.sustantivo),
             attributes = c.attributes || ${EMPTY_KEYS_FROM_FILE},
             updated_at = now()
           where (c.nombre, c.sustantivo, c.attributes)
                 is distinct from (coalesce(nullif(c.nombre, ''), excluded.nombre), coalesce(nullif(c.sustantivo, ''), excluded.sustantivo), c.attributes || ${EMPTY_KEYS_FROM_FILE})`,
  insertOnly: "do nothing",
};

/**
 * Writes rows of a batch with set-based SQL inside the caller's transaction: COPY into a
 * temp stage, note the existing contacts as they are, create missing groups (unless given),
 * upsert contacts as the mode allows (unchanged rows are not rewritten), add memberships,
 * log the changes, record rejected rows.
 */
export async function writeBatch(
  client: PoolClient,
  {
    workspaceId,
    importId,
    fileLabel,
    rows,
    rejected,
    groupIds: resolved,
    mode = "upsert",
    changeLog = { limit: 0, collect: false },
  }: {
    workspaceId: string;
    importId: string;
    fileLabel: string;
    rows: StageRow[];
    rejected: RejectedRow[];
    /** The rows' groups, when created beforehand (parts written in parallel need that). */
    groupIds?: GroupIds;
    mode?: ImportMode;
    changeLog?: ChangeLog;
  },
): Promise<
  BatchCounts & { timings: Record<string, number>; rows: ChangeRow[]; rejectedHere: RejectedRow[] }
> {
  const timings: Record<string, number> = {};
  let counts: BatchCounts = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    changes: 0,
    changesListed: 0,
    invalid: 0,
  };
  let rejectedHere: (RejectedRow & { repeat: boolean })[] = [];
  let changes: ChangeRow[] = [];
  if (rows.length > 0) {
    const groupIds =
      resolved ??
      (await timed(
        "groups",
        timings,
        async () => (await resolveGroups(client, workspaceId, rows)).ids,
      ));
    await client.query(
      `create temp table st_stage (id uuid not null, idx int not null, phone text collate "C" not null, nombre text, sustantivo text,
         attributes jsonb not null, group_ids uuid[], repeat boolean not null, contact_id uuid, inserted boolean, changed boolean,
         existed boolean not null default false, old_nombre text, old_sustantivo text, old_attributes jsonb,
         new_nombre text, new_sustantivo text, new_attributes jsonb)
       on commit drop`,
    );
    await timed("copy", timings, () =>
      copyInto(
        client,
        "copy st_stage (id, idx, phone, nombre, sustantivo, attributes, group_ids, repeat) from stdin",
        stageChunks(rows, groupIds),
      ),
    );
    // The existing contacts as they are now: the change list's "before", and their ids.
    await timed("existing", timings, () =>
      client.query(
        `update st_stage s set contact_id = c.id, inserted = false, changed = false, existed = true,
                old_nombre = c.nombre, old_sustantivo = c.sustantivo, old_attributes = c.attributes
           from contact c where c.workspace_id = $1::uuid and c.phone = s.phone`,
        [workspaceId],
      ),
    );
    rejectedHere = await timed("limits", timings, () => overLimit(client, rows, mode));
    // Upsert, and note on each stage row which contact it became and what it now holds.
    await timed("upsert", timings, () =>
      client.query(
        `with up as (
           insert into contact as c (id, workspace_id, phone, nombre, sustantivo, attributes, source, opt_in_source, opt_in_at)
           select id, $1::uuid, phone, nombre, sustantivo, attributes, 'csv', $2, now() from st_stage
           -- Phone order: two imports touching the same contacts lock them in the same order
           -- (no deadlock), and the phone index fills in order.
           order by phone
           on conflict (workspace_id, phone) ${ON_CONFLICT[mode]}
           returning c.id, c.phone, (c.xmax = 0) as ins, c.nombre, c.sustantivo, c.attributes
         )
         update st_stage s set contact_id = up.id, inserted = up.ins, changed = true,
                new_nombre = up.nombre, new_sustantivo = up.sustantivo, new_attributes = up.attributes
           from up where s.phone = up.phone`,
        [workspaceId, `csv:${fileLabel}`],
      ),
    );
    await timed("suppressed", timings, () => markSuppressedInserts(client, workspaceId));
    const { rows: result } = await timed("unchanged", timings, async () => {
      await client.query(
        // Inserted by someone else between the two statements above, and left as it was.
        `update st_stage s set contact_id = c.id, inserted = false, changed = false
           from contact c where s.contact_id is null and c.workspace_id = $1::uuid and c.phone = s.phone`,
        [workspaceId],
      );
      return client.query<{ inserted: string; updated: string }>(
        `select count(*) filter (where inserted and not repeat) as inserted,
                count(*) filter (where changed and not inserted and not repeat) as updated
           from st_stage`,
      );
    });
    const inserted = Number(result[0]?.inserted ?? 0);
    const updated = Number(result[0]?.updated ?? 0);
    const invalid = rejectedHere.filter((r) => !r.repeat).length;
    const fresh = rows.reduce((n, r) => n + (r.repeat ? 0 : 1), 0) - invalid;
    const logged = await timed("changes", timings, () =>
      logChanges(client, { workspaceId, importId, log: changeLog }),
    );
    changes = logged.rows;
    counts = {
      inserted,
      updated,
      unchanged: fresh - inserted - updated,
      changes: logged.total,
      changesListed: logged.listed,
      invalid,
    };
    // A contact inserted just now cannot have memberships yet; only the others need the
    // conflict check.
    await timed("memberships", timings, async () => {
      await client.query(
        `insert into contact_group_member (workspace_id, group_id, contact_id)
         select $1::uuid, g, s.contact_id from st_stage s, unnest(s.group_ids) as g where s.inserted`,
        [workspaceId],
      );
      // "Only add new contacts" leaves the existing ones as they are, groups included.
      if (mode === "insertOnly") return;
      await client.query(
        `insert into contact_group_member (workspace_id, group_id, contact_id)
         select $1::uuid, g, s.contact_id from st_stage s, unnest(s.group_ids) as g where not s.inserted
         on conflict do nothing`,
        [workspaceId],
      );
    });
  }
  const toRecord = [...rejected, ...rejectedHere];
  if (toRecord.length > 0) {
    // COPY cannot target a table under row-level security: stage, then INSERT … SELECT.
    await client.query(
      "create temp table st_rejected (row_number int, raw text, reason text) on commit drop",
    );
    const lines = toRecord.map(
      (r) => `${r.rowNumber}\t${copyText(r.raw.slice(0, 2000))}\t${copyText(r.reason)}\n`,
    );
    await copyInto(client, "copy st_rejected (row_number, raw, reason) from stdin", lines);
    await client.query(
      `insert into contact_import_error (workspace_id, import_id, row_number, raw, reason)
       select $1::uuid, $2::uuid, row_number, raw, reason from st_rejected`,
      [workspaceId, importId],
    );
  }
  return { ...counts, timings, rows: changes, rejectedHere };
}

/**
 * A contact holds at most `MAX_ATTRIBUTES` attributes, as the form allows. A row whose keys,
 * with those its contact already has (when the mode merges into it) or with the batch's
 * other rows of its phone, would pass that is rejected whole and taken out of the stage —
 * like a row over the limit on its own (`apply-mapping.ts`). Run after the stage notes the
 * existing contacts.
 */
async function overLimit(
  client: PoolClient,
  rows: StageRow[],
  mode: ImportMode,
): Promise<(RejectedRow & { repeat: boolean })[]> {
  // Over on its own (rows of one phone merged in the batch): known here. With the contact's
  // own keys: only rows that bring attributes to a contact the mode merges into.
  const alone = rows.flatMap((r, i) =>
    Object.keys(r.attributes).length > MAX_ATTRIBUTES ? [i] : [],
  );
  const { rows: over } = await client.query<{ idx: number }>(
    `delete from st_stage s
      where s.idx = any($3::int[])
         or ($2::boolean and s.existed and s.attributes <> '{}'::jsonb
             and (select count(*) from jsonb_object_keys(s.old_attributes || s.attributes)) > $1)
      returning idx`,
    [MAX_ATTRIBUTES, mode !== "insertOnly", alone],
  );
  const reason = encodeErrorRef(errorRef("import.tooManyAttributes", { max: MAX_ATTRIBUTES }));
  return over
    .map(({ idx }) => rows[idx]!)
    .map((r) => ({ rowNumber: r.rowNumber, raw: r.raw(), reason, repeat: r.repeat }));
}
