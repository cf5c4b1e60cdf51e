import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { uuidv7 } from "@/lib/uuid-v7";

export type StageRow = {
  phone: string;
  nombre: string | null;
  sustantivo: string | null;
  groups: string[];
  attributes: Record<string, string>;
  /** The phone already appeared in an earlier batch of this file (counted as a duplicate). */
  repeat: boolean;
};
export type RejectedRow = { rowNumber: number; raw: string; reason: string };
export type BatchCounts = { inserted: number; updated: number; unchanged: number };

const GROUP_SEP = "\u001f";

// COPY text format: backslash, tab, newline and CR must be escaped; \N is NULL.
function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return value
    .replace(/\\/g, "\\\\")
    .replace(/\t/g, "\\t")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r");
}

function stageLines(rows: StageRow[]): string {
  let out = "";
  for (const r of rows) {
    const attrs = Object.keys(r.attributes).length ? JSON.stringify(r.attributes) : "{}";
    out += `${uuidv7()}\t${copyText(r.phone)}\t${copyText(r.nombre)}\t${copyText(r.sustantivo)}\t${copyText(attrs)}\t${copyText(r.groups.length ? r.groups.join(GROUP_SEP) : null)}\t${r.repeat ? "t" : "f"}\n`;
  }
  return out;
}

async function copyInto(client: PoolClient, sql: string, text: string) {
  if (!text) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
}

/**
 * Writes one batch with set-based SQL inside the caller's transaction: COPY into an
 * unlogged temp stage, create missing groups, upsert contacts (blank cells never wipe
 * data; unchanged rows are not rewritten), add memberships, record rejected rows.
 */
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

export async function writeBatch(
  client: PoolClient,
  {
    workspaceId,
    importId,
    fileLabel,
    rows,
    rejected,
  }: {
    workspaceId: string;
    importId: string;
    fileLabel: string;
    rows: StageRow[];
    rejected: RejectedRow[];
  },
): Promise<BatchCounts & { timings: Record<string, number> }> {
  const timings: Record<string, number> = {};
  let counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (rows.length > 0) {
    await client.query(
      `create temp table st_stage (id uuid not null, phone text collate "C" not null, nombre text, sustantivo text, attributes jsonb not null,
         groups text, repeat boolean not null) on commit drop`,
    );
    await timed("copy", timings, () =>
      copyInto(
        client,
        "copy st_stage (id, phone, nombre, sustantivo, attributes, groups, repeat) from stdin",
        stageLines(rows),
      ),
    );
    await timed("groups", timings, () =>
      client.query(
        `insert into contact_group (workspace_id, name)
       select distinct on (lower(g)) $1::uuid, g
         from st_stage, unnest(string_to_array(groups, $2)) as g
        where groups is not null
       on conflict (workspace_id, lower(name)) do nothing`,
        [workspaceId, GROUP_SEP],
      ),
    );
    const { rows: result } = await timed("upsert", timings, () =>
      client.query<{ inserted: string; updated: string }>(
        `with up as (
         insert into contact as c (id, workspace_id, phone, nombre, sustantivo, attributes, source, opt_in_source, opt_in_at)
         select id, $1::uuid, phone, nombre, sustantivo, attributes, 'csv', $2, now() from st_stage
         on conflict (workspace_id, phone) do update set
           nombre = coalesce(excluded.nombre, c.nombre),
           sustantivo = coalesce(excluded.sustantivo, c.sustantivo),
           attributes = c.attributes || excluded.attributes,
           updated_at = now()
         where (c.nombre, c.sustantivo, c.attributes)
               is distinct from (coalesce(excluded.nombre, c.nombre), coalesce(excluded.sustantivo, c.sustantivo), c.attributes || excluded.attributes)
         returning c.phone, (xmax = 0) as ins
       )
       select count(*) filter (where up.ins and not s.repeat) as inserted,
              count(*) filter (where not up.ins and not s.repeat) as updated
         from up join st_stage s on s.phone = up.phone`,
        [workspaceId, `csv:${fileLabel}`],
      ),
    );
    const inserted = Number(result[0]?.inserted ?? 0);
    const updated = Number(result[0]?.updated ?? 0);
    const fresh = rows.reduce((n, r) => n + (r.repeat ? 0 : 1), 0);
    counts = { inserted, updated, unchanged: fresh - inserted - updated };
    await timed("memberships", timings, () =>
      client.query(
        `insert into contact_group_member (workspace_id, group_id, contact_id)
       select $1::uuid, g.id, c.id
         from st_stage s
         join contact c on c.workspace_id = $1::uuid and c.phone = s.phone
         cross join lateral unnest(string_to_array(s.groups, $2)) as gn(name)
         join contact_group g on g.workspace_id = $1::uuid and lower(g.name) = lower(gn.name)
        where s.groups is not null
       on conflict do nothing`,
        [workspaceId, GROUP_SEP],
      ),
    );
  }
  if (rejected.length > 0) {
    // COPY cannot target a table under row-level security: stage, then INSERT … SELECT.
    await client.query(
      "create temp table st_rejected (row_number int, raw text, reason text) on commit drop",
    );
    const lines = rejected
      .map((r) => `${r.rowNumber}\t${copyText(r.raw.slice(0, 2000))}\t${copyText(r.reason)}\n`)
      .join("");
    await copyInto(client, "copy st_rejected (row_number, raw, reason) from stdin", lines);
    await client.query(
      `insert into contact_import_error (workspace_id, import_id, row_number, raw, reason)
       select $1::uuid, $2::uuid, row_number, raw, reason from st_rejected`,
      [workspaceId, importId],
    );
  }
  return { ...counts, timings };
}
