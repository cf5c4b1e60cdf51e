import type { PoolClient } from "pg";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { openTenantTransaction, withRawTenant } from "@/server/db/raw-tenant";
import type { ImportCounts } from "../contacts.table";
import type { ImportDetection } from "../imports.schema";
import { writeBatch } from "./batch-writer";
import type { ColumnMapping } from "./header-map";
import { readBatches, type ParsedBatch } from "./read-batches";

type ImportRow = {
  status: string;
  file_name: string;
  dry_run: boolean;
  detected: ImportDetection;
  options: { mapping: ColumnMapping; hasHeader: boolean };
  counts: ImportCounts | null;
  /** Row version (xmin): the claim below succeeds only if nobody changed the row since. */
  version: string;
  default_country: string;
};

const EMPTY_COUNTS: ImportCounts = {
  total: 0,
  processed: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  duplicates: 0,
  invalid: 0,
  bytesRead: 0,
};
type Finish = { status?: "completed" | "failed" | "canceled"; error?: string };

async function saveProgress(
  client: PoolClient,
  importId: string,
  counts: ImportCounts,
  finish: Finish = {},
) {
  await client.query(
    `update contact_import set counts = $2, updated_at = now(),
        status = coalesce($3::contact_import_status, status),
        error_message = coalesce($4, error_message),
        finished_at = case when $3 is not null then now() else finished_at end
      where id = $1`,
    [importId, counts, finish.status ?? null, finish.error ?? null],
  );
  // Delivered on commit to the web processes' LISTEN connection (live progress).
  await client.query("select pg_notify('contact_import', $1)", [importId]);
}

async function loadImport(workspaceId: string, importId: string) {
  return withRawTenant(workspaceId, async (c) => {
    const { rows } = await c.query<ImportRow>(
      `select i.status, i.file_name, i.dry_run, i.detected, i.options, i.counts, i.xmin::text as version, w.default_country
         from contact_import i join workspace w on w.id = i.workspace_id where i.id = $1`,
      [importId],
    );
    return rows[0];
  });
}

/**
 * The `contacts.import` job: reads the stored file in batches (read-batches.ts) and writes
 * each batch in one transaction that also records the progress — while the next batch is
 * being parsed, so the CPU work and the database work overlap. Cancel is checked before each
 * batch; a dry run rolls every batch back; a retried job resumes after the last commit.
 */
export async function runImport({
  workspaceId,
  importId,
}: {
  workspaceId: string;
  importId: string;
}): Promise<void> {
  const job = await loadImport(workspaceId, importId);
  if (!job || (job.status !== "queued" && job.status !== "running")) return;

  // One runner per import: the lock lives as long as the reader's transaction (this run) and
  // goes away with its connection if the process dies, so a retry can resume.
  const reader = await openTenantTransaction(workspaceId);
  const { rows: lock } = await reader.client.query<{ ok: boolean }>(
    "select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as ok",
    [`contact_import:${importId}`],
  );
  if (!lock[0]?.ok) {
    await reader.rollback();
    return;
  }

  const skipRows = job.status === "running" && !job.dry_run ? (job.counts?.processed ?? 0) : 0;
  const counts: ImportCounts = skipRows ? { ...EMPTY_COUNTS, ...job.counts } : { ...EMPTY_COUNTS };
  const claimed = await withRawTenant(workspaceId, async (c) => {
    const result = await c.query(
      `update contact_import set status = 'running', started_at = coalesce(started_at, now()), counts = $2,
              updated_at = now()
        where id = $1 and status = $3 and xmin::text = $4`,
      [importId, counts, job.status, job.version],
    );
    // A dry run starts over: drop the rejected rows an interrupted attempt already reported.
    if (result.rowCount === 1 && job.dry_run) {
      await c.query("delete from contact_import_error where import_id = $1", [importId]);
    }
    return result.rowCount === 1;
  });
  if (!claimed) {
    await reader.rollback();
    return;
  }

  /** Writes one batch; false when the import was canceled instead. */
  const write = async (batch: ParsedBatch): Promise<boolean> => {
    const started = performance.now();
    const tx = await openTenantTransaction(workspaceId);
    try {
      const { rows: flags } = await tx.client.query<{ cancel: boolean }>(
        "select cancel_requested_at is not null as cancel from contact_import where id = $1",
        [importId],
      );
      if (flags[0]?.cancel) {
        await tx.rollback();
        await withRawTenant(workspaceId, (c) =>
          saveProgress(c, importId, counts, { status: "canceled" }),
        );
        return false;
      }
      const tWrite = performance.now();
      const result = await writeBatch(tx.client, {
        workspaceId,
        importId,
        fileLabel: job.file_name,
        rows: batch.rows,
        rejected: job.dry_run ? [] : batch.rejected,
      });
      result.timings.batch = Math.round(performance.now() - tWrite);
      result.timings.open = Math.round(tWrite - started);
      counts.inserted += result.inserted;
      counts.updated += result.updated;
      counts.unchanged += result.unchanged;
      counts.invalid += batch.invalid;
      counts.duplicates += batch.duplicates;
      counts.processed += batch.rowCount;
      counts.total = Math.max(counts.total, counts.processed);
      counts.bytesRead = batch.bytesRead;
      if (job.dry_run) {
        // Nothing of a simulation is kept but its report: counts and rejected rows.
        await tx.rollback();
        await withRawTenant(workspaceId, async (c) => {
          await writeBatch(c, {
            workspaceId,
            importId,
            fileLabel: job.file_name,
            rows: [],
            rejected: batch.rejected,
          });
          await saveProgress(c, importId, counts);
        });
      } else {
        const tCommit = performance.now();
        await saveProgress(tx.client, importId, counts);
        await tx.commit();
        result.timings.commit = Math.round(performance.now() - tCommit);
      }
      logger.debug(
        {
          importId,
          rows: batch.rowCount,
          ms: Math.round(performance.now() - started),
          ...result.timings,
        },
        "import batch written",
      );
      return true;
    } catch (err) {
      await tx.rollback().catch(() => undefined);
      throw err;
    }
  };

  let inflight: Promise<boolean> = Promise.resolve(true);
  try {
    const batches = readBatches({
      client: reader.client,
      importId,
      encoding: job.detected.encoding as ParsedEncoding,
      delimiter: job.detected.delimiter,
      mapping: job.options.mapping,
      hasHeader: job.options.hasHeader,
      defaultCountry: job.default_country,
      batchRows: env.IMPORT_BATCH_ROWS,
      skipRows,
    });
    for await (const batch of batches) {
      if (!(await inflight)) return;
      inflight = write(batch);
      inflight.catch(() => undefined); // awaited on the next turn; never an unhandled rejection
    }
    if (!(await inflight)) return;
    await withRawTenant(workspaceId, (c) =>
      saveProgress(c, importId, counts, { status: "completed" }),
    );
  } catch (err) {
    await inflight.catch(() => undefined);
    logger.error({ err, importId, processed: counts.processed }, "contact import failed");
    const error = `Stopped after ${counts.processed} rows: ${(err as Error).message}`.slice(0, 500);
    await withRawTenant(workspaceId, (c) =>
      saveProgress(c, importId, counts, { status: "failed", error }),
    ).catch(() => undefined);
  } finally {
    await reader.rollback().catch(() => undefined);
  }
}

type ParsedEncoding = Parameters<typeof readBatches>[0]["encoding"];
