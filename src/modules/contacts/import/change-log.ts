/**
 * The import's change list: for each contact that already existed and was changed, one row
 * per field with the value before and after. Computed set-based from the stage (its `old_*`
 * columns are the contact as found, `new_*` as written). Bounded: an import keeps at most
 * IMPORT_CHANGES_MAX rows and counts the rest, so a million-row re-import cannot grow it
 * without limit.
 */
import type { PoolClient } from "pg";

export const IMPORT_CHANGES_MAX = 50_000;
/** Change lists older than this are deleted by the upload retention job. */
export const IMPORT_CHANGES_RETENTION_DAYS = 30;

export type ChangeRow = {
  contactId: string;
  phone: string;
  field: string;
  before: string | null;
  after: string | null;
};

/** How the part handles its change rows: written in its transaction, or returned (dry run). */
export type ChangeLog = { limit: number; collect: boolean };

// Every field an import can change, old vs new, for the stage rows that changed an existing
// contact. Attributes only ever gain or overwrite keys, so the new keys cover every change.
const DIFFS = `
  select s.contact_id, s.phone, f.field, f.before, f.after
    from st_stage s
    cross join lateral (
      select 'nombre' as field, s.old_nombre as before, s.new_nombre as after
      union all select 'sustantivo', s.old_sustantivo, s.new_sustantivo
      union all select 'attributes.' || k, s.old_attributes ->> k, s.new_attributes ->> k
        from jsonb_object_keys(s.new_attributes) as k
    ) as f
   where s.changed and s.existed and f.before is distinct from f.after`;

/**
 * The batch's changes: written (up to `limit`) into contact_import_change inside the part's
 * transaction, or — for a dry run, whose transaction rolls back — returned to be written
 * after. `total` counts every change, listed or not.
 */
export async function logChanges(
  client: PoolClient,
  { workspaceId, importId, log }: { workspaceId: string; importId: string; log: ChangeLog },
): Promise<{ total: number; listed: number; rows: ChangeRow[] }> {
  if (log.collect) {
    const { rows } = await client.query<{
      contact_id: string;
      phone: string;
      field: string;
      before: string | null;
      after: string | null;
      total: string;
    }>(
      `with d as (${DIFFS})
       select d.*, count(*) over () as total from d order by phone, field limit $1`,
      [Math.max(log.limit, 1)],
    );
    const total = Number(rows[0]?.total ?? 0);
    const kept = rows.slice(0, log.limit).map((r) => ({
      contactId: r.contact_id,
      phone: r.phone,
      field: r.field,
      before: r.before,
      after: r.after,
    }));
    return { total, listed: kept.length, rows: kept };
  }
  const { rows } = await client.query<{ total: string; listed: string }>(
    `with d as (${DIFFS}),
     kept as (
       insert into contact_import_change (workspace_id, import_id, contact_id, phone, field, before, after)
       select $1::uuid, $2::uuid, contact_id, phone, field, before, after from d
        order by phone, field limit $3
       returning 1
     )
     select (select count(*) from d) as total, (select count(*) from kept) as listed`,
    [workspaceId, importId, log.limit],
  );
  return { total: Number(rows[0]?.total ?? 0), listed: Number(rows[0]?.listed ?? 0), rows: [] };
}

/** Change rows a dry run collected, written after its rollback (with its progress). */
export async function insertChanges(
  client: PoolClient,
  { workspaceId, importId, rows }: { workspaceId: string; importId: string; rows: ChangeRow[] },
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `insert into contact_import_change (workspace_id, import_id, contact_id, phone, field, before, after)
     select $1::uuid, $2::uuid, * from unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [
      workspaceId,
      importId,
      rows.map((r) => r.contactId),
      rows.map((r) => r.phone),
      rows.map((r) => r.field),
      rows.map((r) => r.before),
      rows.map((r) => r.after),
    ],
  );
}
