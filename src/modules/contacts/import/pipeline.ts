import { parse } from "csv-parse";
import iconv from "iconv-lite";
import { Readable } from "node:stream";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { openTenantTransaction, withRawTenant } from "@/server/db/raw-tenant";
import type { ImportCounts } from "../contacts.table";
import { normalisePhone } from "../phone";
import type { ImportDetection } from "../imports.schema";
import { applyMapping } from "./apply-mapping";
import { writeBatch, type RejectedRow, type StageRow } from "./batch-writer";
import { iconvName } from "./detect";
import type { ColumnMapping } from "./header-map";
import { readUploadChunks } from "./store-upload";

type ImportRow = {
  status: string;
  file_name: string;
  dry_run: boolean;
  detected: ImportDetection;
  options: { mapping: ColumnMapping; hasHeader: boolean };
  counts: ImportCounts | null;
  default_country: string;
};

const EMPTY_COUNTS: ImportCounts = { total: 0, processed: 0, inserted: 0, updated: 0, unchanged: 0, duplicates: 0, invalid: 0, bytesRead: 0 };

function mergeInto(target: StageRow, next: StageRow) {
  // Later rows update earlier ones, but a blank cell never erases a value.
  if (next.nombre) target.nombre = next.nombre;
  if (next.sustantivo) target.sustantivo = next.sustantivo;
  Object.assign(target.attributes, next.attributes);
  for (const g of next.groups) if (!target.groups.some((x) => x.toLowerCase() === g.toLowerCase())) target.groups.push(g);
}

async function saveProgress(workspaceId: string, importId: string, counts: ImportCounts, extra: { status?: string; error?: string } = {}) {
  await withRawTenant(workspaceId, (c) => progressQuery(c, importId, counts, extra));
}

async function progressQuery(
  client: import("pg").PoolClient,
  importId: string,
  counts: ImportCounts,
  extra: { status?: string; error?: string },
) {
  await client.query(
    `update contact_import set counts = $2, updated_at = now(),
        status = coalesce($3::contact_import_status, status),
        error_message = coalesce($4, error_message),
        finished_at = case when $3 in ('completed', 'failed', 'canceled') then now() else finished_at end
      where id = $1`,
    [importId, counts, extra.status ?? null, extra.error ?? null],
  );
  // Delivered on commit to the web processes' LISTEN connection (live progress).
  await client.query("select pg_notify('contact_import', $1)", [importId]);
}

/**
 * The `contacts.import` job: streams the stored file (decode → CSV parse → map → normalise →
 * dedupe) and writes it in batches, each one transaction that also records the progress.
 * A dry run rolls every batch back. A retried job resumes after the last committed batch.
 */
export async function runImport({ workspaceId, importId }: { workspaceId: string; importId: string }): Promise<void> {
  const row = await withRawTenant(workspaceId, async (c) => {
    const { rows } = await c.query<ImportRow>(
      `select i.status, i.file_name, i.dry_run, i.detected, i.options, i.counts, w.default_country
         from contact_import i join workspace w on w.id = i.workspace_id where i.id = $1`,
      [importId],
    );
    return rows[0];
  });
  if (!row || (row.status !== "queued" && row.status !== "running")) return;

  const resumeAfter = row.status === "running" && !row.dry_run ? (row.counts?.processed ?? 0) : 0;
  const counts: ImportCounts = resumeAfter ? { ...EMPTY_COUNTS, ...row.counts } : { ...EMPTY_COUNTS };
  await withRawTenant(workspaceId, (c) =>
    c.query("update contact_import set status = 'running', started_at = coalesce(started_at, now()), counts = $2 where id = $1", [importId, counts]),
  );

  const reader = await openTenantTransaction(workspaceId);
  const seen = new Set<string>();
  const { delimiter, encoding } = row.detected;
  const { mapping, hasHeader } = row.options;
  let batch = new Map<string, StageRow>();
  let rejected: RejectedRow[] = [];
  let batchRows = 0;

  const flush = async (): Promise<boolean> => {
    const rows = [...batch.values()];
    const tx = await openTenantTransaction(workspaceId);
    try {
      const { rows: flags } = await tx.client.query<{ cancel: boolean }>(
        "select cancel_requested_at is not null as cancel from contact_import where id = $1",
        [importId],
      );
      if (flags[0]?.cancel) {
        await tx.rollback();
        await saveProgress(workspaceId, importId, counts, { status: "canceled" });
        return false;
      }
      const result = await writeBatch(tx.client, { workspaceId, importId, fileLabel: row.file_name, rows, rejected: row.dry_run ? [] : rejected });
      counts.inserted += result.inserted;
      counts.updated += result.updated;
      counts.unchanged += result.unchanged;
      counts.processed += batchRows;
      if (row.dry_run) {
        await tx.rollback();
        await withRawTenant(workspaceId, async (c) => {
          await writeBatch(c, { workspaceId, importId, fileLabel: row.file_name, rows: [], rejected });
          await progressQuery(c, importId, counts, {});
        });
      } else {
        await progressQuery(tx.client, importId, counts, {});
        await tx.commit();
      }
    } catch (err) {
      await tx.rollback().catch(() => undefined);
      throw err;
    }
    batch = new Map();
    rejected = [];
    batchRows = 0;
    return true;
  };

  try {
    let bytesRead = 0;
    const source = Readable.from(
      (async function* () {
        for await (const chunk of readUploadChunks(reader.client, importId)) {
          bytesRead += chunk.length;
          yield chunk;
        }
      })(),
    );
    const parser = source
      .pipe(iconv.decodeStream(iconvName(encoding as "utf8")))
      .pipe(parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true }));

    let rowNumber = 0;
    let dataRow = 0;
    for await (const cells of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (rowNumber === 1 && hasHeader) continue;
      if (cells.every((c) => c.trim() === "")) continue;
      dataRow++;
      if (dataRow <= resumeAfter) continue;
      counts.total = Math.max(counts.total, dataRow);
      batchRows++;
      const mapped = applyMapping(cells, mapping, delimiter);
      const phone = normalisePhone(mapped.phoneRaw, row.default_country);
      if (!phone.ok) {
        counts.invalid++;
        rejected.push({ rowNumber, raw: cells.join(delimiter), reason: phone.reason });
      } else {
        const stage: StageRow = { phone: phone.e164, nombre: mapped.nombre, sustantivo: mapped.sustantivo, groups: mapped.groups, attributes: mapped.attributes, repeat: false };
        const existing = batch.get(phone.e164);
        if (existing) {
          counts.duplicates++;
          mergeInto(existing, stage);
        } else if (seen.has(phone.e164)) {
          counts.duplicates++;
          stage.repeat = true;
          batch.set(phone.e164, stage);
        } else {
          seen.add(phone.e164);
          batch.set(phone.e164, stage);
        }
      }
      if (batchRows >= env.IMPORT_BATCH_ROWS) {
        counts.bytesRead = bytesRead;
        if (!(await flush())) return;
      }
    }
    counts.bytesRead = bytesRead;
    if (!(await flush())) return;
    counts.total = counts.processed;
    await saveProgress(workspaceId, importId, counts, { status: "completed" });
  } catch (err) {
    logger.error({ err, importId, processed: counts.processed }, "contact import failed");
    await saveProgress(workspaceId, importId, counts, {
      status: "failed",
      error: `Stopped after ${counts.processed} rows: ${(err as Error).message}`.slice(0, 500),
    }).catch(() => undefined);
  } finally {
    await reader.rollback().catch(() => undefined);
  }
}
