import type { PoolClient } from "pg";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { openTenantTransaction, withRawTenant } from "@/server/db/raw-tenant";
import type { ImportCounts } from "../contacts.table";
import type { ImportDetection } from "../imports.schema";
import { resolveGroups, writeBatch, type GroupIds } from "./batch-writer";
import { EMPTY_COUNTS } from "../import-counts";
import { addCounts, partKey, readLedger, recordPart, splitParts } from "./ledger";
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
 * each batch — while the next one is being parsed — as parts split by phone, on parallel
 * connections. Each part commits with its ledger row (ledger.ts); a retried job skips the
 * parts already there. Cancel is checked before each batch; a dry run writes one part and
 * rolls it back.
 */
export async function runImport({
  workspaceId,
  importId,
  signal,
}: {
  workspaceId: string;
  importId: string;
  /** The job's: once pg-boss has given the run up, it stops before the next batch. */
  signal?: AbortSignal;
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

  const resuming = job.status === "running" && !job.dry_run;
  const ledger = resuming
    ? await readLedger(reader.client, importId)
    : { done: new Set<string>(), counts: { ...EMPTY_COUNTS } };
  const counts = ledger.counts;
  // The batch size is fixed at the first start: a resumed run must cut the same batches.
  const batchRows = await withRawTenant(workspaceId, async (c) => {
    const result = await c.query<{ batch_rows: number }>(
      `update contact_import set status = 'running', started_at = coalesce(started_at, now()), counts = $2,
              options = options || jsonb_build_object('batchRows', coalesce((options->>'batchRows')::int, $5)),
              updated_at = now()
        where id = $1 and status = $3 and xmin::text = $4
        returning (options->>'batchRows')::int as batch_rows`,
      [importId, counts, job.status, job.version, env.IMPORT_BATCH_ROWS],
    );
    // A dry run starts over: drop the rejected rows an interrupted attempt already reported.
    if (result.rowCount === 1 && job.dry_run) {
      await c.query("delete from contact_import_error where import_id = $1", [importId]);
    }
    return result.rows[0]?.batch_rows ?? null;
  });
  if (batchRows === null) {
    await reader.rollback();
    return;
  }

  const parts = job.dry_run ? 1 : env.IMPORT_WRITERS;
  /** Groups created for the batch in flight: removed again if it never commits. */
  let pendingGroups: string[] = [];

  /** Writes one batch; false when the import was canceled instead. */
  const write = async (batch: ParsedBatch, batchNo: number): Promise<boolean> => {
    const started = performance.now();
    const split = splitParts(batch.rows, parts);
    const todo = split.map((_, p) => p).filter((p) => !ledger.done.has(partKey(batchNo, p)));
    if (batch.rowCount === 0 || todo.length === 0) return true; // nothing, or done before
    const canceled = await withRawTenant(workspaceId, async (c) => {
      const { rows } = await c.query<{ cancel: boolean }>(
        "select cancel_requested_at is not null as cancel from contact_import where id = $1",
        [importId],
      );
      if (rows[0]?.cancel) await saveProgress(c, importId, counts, { status: "canceled" });
      return rows[0]?.cancel ?? false;
    });
    if (canceled) return false;

    // Parts in parallel cannot each create the same new group (the second would wait for
    // the first's commit): the batch's groups are created first, on their own.
    let groupIds: GroupIds | undefined;
    if (parts > 1) {
      const rows = todo.flatMap((p) => split[p]!);
      const resolved = await withRawTenant(workspaceId, (c) => resolveGroups(c, workspaceId, rows));
      groupIds = resolved.ids;
      pendingGroups = resolved.created;
    }

    const txs = await openTransactions(workspaceId, todo.length);
    const outcomes = await Promise.allSettled(
      todo.map(async (part, i) => {
        const client = txs[i]!.client;
        const result = await writeBatch(client, {
          workspaceId,
          importId,
          fileLabel: job.file_name,
          rows: split[part]!,
          // Rejected rows ride with part 0; a dry run records them after its rollback.
          rejected: part === 0 && !job.dry_run ? batch.rejected : [],
          groupIds,
        });
        const delta: Partial<ImportCounts> = {
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          ...(part === 0 && {
            processed: batch.rowCount,
            invalid: batch.invalid,
            duplicates: batch.duplicates,
            bytesRead: batch.bytesRead,
          }),
        };
        if (!job.dry_run) {
          await recordPart(client, { workspaceId, importId, batch: batchNo, part }, delta);
        }
        return { delta, timings: result.timings };
      }),
    );
    const failure = outcomes.find((o) => o.status === "rejected");
    if (failure || job.dry_run) {
      await Promise.all(txs.map((tx) => tx.rollback().catch(() => undefined)));
      if (failure) throw failure.reason;
    } else {
      // Back to back: only a crash between two commits leaves a part for the retry.
      for (const tx of txs) await tx.commit();
      for (const p of todo) ledger.done.add(partKey(batchNo, p));
    }
    pendingGroups = [];
    const done = outcomes.map((o) => (o as PromiseFulfilledResult<PartOutcome>).value);
    for (const o of done) addCounts(counts, o.delta);
    await withRawTenant(workspaceId, async (c) => {
      if (job.dry_run) {
        // Nothing of a simulation is kept but its report: counts and rejected rows.
        await writeBatch(c, {
          workspaceId,
          importId,
          fileLabel: job.file_name,
          rows: [],
          rejected: batch.rejected,
        });
      }
      await saveProgress(c, importId, counts);
    });
    if (logger.isLevelEnabled("debug")) logBatch(importId, batch, started, done);
    return true;
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
      batchRows,
    });
    let batchNo = 0;
    for await (const batch of batches) {
      if (!(await inflight)) return;
      // The job's claim is gone (heartbeat lost, expired, shutting down): the import stays
      // `running` and the retry resumes it from the ledger.
      if (signal?.aborted) return;
      inflight = write(batch, batchNo++);
      inflight.catch(() => undefined); // awaited on the next turn; never an unhandled rejection
    }
    if (!(await inflight)) return;
    await withRawTenant(workspaceId, (c) =>
      saveProgress(c, importId, counts, { status: "completed" }),
    );
  } catch (err) {
    await inflight.catch(() => undefined);
    logger.error({ err, importId, processed: counts.processed }, "contact import failed");
    await withRawTenant(workspaceId, async (c) => {
      await dropEmptyGroups(c, pendingGroups);
      // What is committed is what the ledger says (a part may have committed before the
      // error); a dry run has only its own report.
      const final = job.dry_run ? counts : (await readLedger(c, importId)).counts;
      const error = `Stopped after ${final.processed} rows: ${(err as Error).message}`;
      await saveProgress(c, importId, final, { status: "failed", error: error.slice(0, 500) });
    }).catch(() => undefined);
  } finally {
    await reader.rollback().catch(() => undefined);
  }
}

type PartOutcome = { delta: Partial<ImportCounts>; timings: Record<string, number> };

/** Transactions for the parts of a batch; all or none (a failed open releases the rest). */
async function openTransactions(workspaceId: string, n: number) {
  const opened = await Promise.allSettled(
    Array.from({ length: n }, () => openTenantTransaction(workspaceId)),
  );
  const failed = opened.find((o) => o.status === "rejected");
  const txs = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
  if (failed) {
    await Promise.all(txs.map((tx) => tx.rollback().catch(() => undefined)));
    throw failed.reason;
  }
  return txs;
}

/** Groups made for a batch that never committed, unless someone has used them since. */
async function dropEmptyGroups(client: PoolClient, ids: string[]) {
  if (ids.length === 0) return;
  await client.query(
    `delete from contact_group g where g.id = any($1::uuid[])
       and not exists (select 1 from contact_group_member m where m.group_id = g.id)`,
    [ids],
  );
}

function logBatch(importId: string, batch: ParsedBatch, started: number, parts: PartOutcome[]) {
  const mem = process.memoryUsage();
  logger.debug(
    {
      importId,
      rows: batch.rowCount,
      ms: Math.round(performance.now() - started),
      parts: parts.map((p) => p.timings),
      rssMb: Math.round(mem.rss / 1048576),
      heapMb: Math.round(mem.heapUsed / 1048576),
      externalMb: Math.round(mem.external / 1048576),
    },
    "import batch written",
  );
}

type ParsedEncoding = Parameters<typeof readBatches>[0]["encoding"];
