/**
 * The `contacts.import` job: reads the stored file in batches (read-batches.ts) and writes
 * each batch — while the next one is being parsed — as parts split by phone, on parallel
 * connections. Each part commits with its ledger row (ledger.ts); a retried job skips the
 * parts already there. Cancel is checked before each batch and watched while one is written
 * (cancel-watch.ts: the batch in flight rolls back); a dry run writes one part and rolls it
 * back. The import's status moves only through imports.queries' transitions.
 */
import { env } from "@/env";
import { encodeErrorRef, errorRef } from "@/lib/error-ref";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import {
  openTenantTransaction,
  withTenant,
  withTenantClient,
  type OpenTenantTransaction,
} from "@/server/db/tenant";
import type { ImportCounts } from "../contacts.table";
import { EMPTY_COUNTS } from "../import-counts";
import {
  deleteImportReport,
  findImport,
  findImportForRun,
  lockImportBatch,
  markCanceled,
  markCompleted,
  markFailed,
  markRunning,
  saveProgress,
  tryLockImportRun,
  type ImportRef,
} from "../imports.queries";
import type { ImportDetection } from "../imports.schema";
import {
  dropUnusedGroups,
  resolveGroups,
  writeBatch,
  type GroupIds,
  type ImportMode,
} from "./batch-writer";
import { watchForCancel } from "./cancel-watch";
import { IMPORT_CHANGES_MAX, insertChanges, type ChangeRow } from "./change-log";
import type { ColumnMapping } from "./header-map";
import { addCounts, partKey, readLedger, recordPart, splitParts } from "./ledger";
import { readBatches, type ParsedBatch } from "./read-batches";

type Ledger = Awaited<ReturnType<typeof readLedger>>;
type Runnable = NonNullable<Awaited<ReturnType<typeof loadRunnable>>>;

/** One run of one import: what every step needs. */
type Run = {
  ref: ImportRef;
  fileName: string;
  dryRun: boolean;
  /** Connections per batch (a dry run writes one part, then rolls it back). */
  parts: number;
  /** Parts committed so far (by this run or an earlier attempt) and their summed counts. */
  ledger: Ledger;
  /** Groups created for the batch in flight: removed again if it never commits. */
  pendingGroups: string[];
  mode: ImportMode;
};

type PartOutcome = {
  delta: Partial<ImportCounts>;
  timings: Record<string, number>;
  /** A dry run's change rows, written after its rollback. */
  changes: ChangeRow[];
};

/** What startImport stored in the import's options. */
type RunOptions = {
  mapping: ColumnMapping;
  hasHeader: boolean;
  mode?: ImportMode;
  /** Data rows in the file, counted as it was stored (absent for older uploads). */
  totalRows?: number;
};

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
  const ref = { workspaceId, importId };
  const job = await loadRunnable(ref);
  if (!job) return;
  const reader = await lockRun(ref);
  if (!reader) return;
  try {
    const claim = await claimRun(reader, job);
    if (!claim) return;
    const options = job.options as RunOptions;
    const detected = job.detected as ImportDetection;
    const run: Run = {
      ref,
      fileName: job.fileName,
      dryRun: job.dryRun,
      parts: job.dryRun ? 1 : env.IMPORT_WRITERS,
      ledger: claim.ledger,
      pendingGroups: [],
      mode: options.mode ?? "upsert",
    };
    const batches = readBatches({
      client: reader.client,
      importId,
      encoding: detected.encoding as ParsedEncoding,
      delimiter: detected.delimiter,
      mapping: options.mapping,
      hasHeader: options.hasHeader,
      defaultCountry: job.defaultCountry,
      batchRows: claim.batchRows,
    });
    await writeAllBatches(run, batches, signal);
  } finally {
    await reader.rollback().catch(() => undefined);
  }
}

/** The import and its workspace's country, if it is still to run (queued, or a retry). */
async function loadRunnable(ref: ImportRef) {
  return withTenant({ workspaceId: ref.workspaceId }, async (tx) => {
    const row = await findImportForRun(tx, ref);
    if (!row || (row.status !== "queued" && row.status !== "running")) return null;
    const { defaultCountry } = await getWorkspace({ tx, workspaceId: ref.workspaceId });
    return { ...row, status: row.status, defaultCountry };
  });
}

/**
 * The reader's transaction, holding the import's lock: one runner per import. The lock lives
 * as long as this transaction (the run) and goes away with its connection if the process
 * dies, so a retry can resume. Null when another runner has it.
 */
async function lockRun(ref: ImportRef): Promise<OpenTenantTransaction | null> {
  const reader = await openTenantTransaction({ workspaceId: ref.workspaceId });
  if (await tryLockImportRun(reader.client, ref.importId)) return reader;
  await reader.rollback();
  return null;
}

/**
 * Moves the import to `running` (compare-and-set on the row as loaded) with the counts of
 * the parts already committed: a resumed run starts from its ledger, a dry run from zero
 * (and without the rejected rows an interrupted attempt reported). Null when the claim lost.
 */
async function claimRun(reader: OpenTenantTransaction, job: Runnable) {
  const ref = { workspaceId: job.workspaceId, importId: job.id };
  const resuming = job.status === "running" && !job.dryRun;
  const ledger: Ledger = resuming
    ? await readLedger(reader.client, job.id)
    : { done: new Set<string>(), counts: { ...EMPTY_COUNTS } };
  // The total is known from the upload: progress counts rows, not bytes read ahead.
  const totalRows = (job.options as RunOptions).totalRows ?? 0;
  ledger.counts.total = Math.max(ledger.counts.total, totalRows);
  const batchRows = await withTenant({ workspaceId: job.workspaceId }, async (tx) => {
    const claimed = await markRunning(tx, ref, {
      from: job.status,
      version: job.version,
      counts: ledger.counts,
      batchRows: env.IMPORT_BATCH_ROWS,
    });
    if (claimed !== null && job.dryRun) await deleteImportReport(tx, ref);
    return claimed;
  });
  return batchRows === null ? null : { ledger, batchRows };
}

/**
 * Writes each batch while the next one is parsed, then completes the import; on an error,
 * fails it. Returns early (the import as it is) when it was canceled, or when the job's
 * claim is gone — heartbeat lost, expired, shutting down: it stays `running` and the retry
 * resumes it from the ledger.
 */
async function writeAllBatches(
  run: Run,
  batches: AsyncIterable<ParsedBatch>,
  signal: AbortSignal | undefined,
) {
  let inflight: Promise<boolean> = Promise.resolve(true);
  try {
    let batchNo = 0;
    for await (const batch of batches) {
      if (!(await inflight) || signal?.aborted) return;
      inflight = writeOneBatch(run, batch, batchNo++);
      inflight.catch(() => undefined); // awaited on the next turn; never an unhandled rejection
    }
    if (!(await inflight)) return;
    // Done: the rows read are the total (the upload's count skips what the reader skips, but
    // this is exact).
    run.ledger.counts.total = run.ledger.counts.processed;
    await withTenant({ workspaceId: run.ref.workspaceId }, (tx) =>
      markCompleted(tx, run.ref, run.ledger.counts),
    );
  } catch (err) {
    await inflight.catch(() => undefined);
    await failRun(run, err as Error);
  }
}

/** Writes one batch; false when the import was canceled instead. */
async function writeOneBatch(run: Run, batch: ParsedBatch, batchNo: number): Promise<boolean> {
  const started = performance.now();
  const split = splitParts(batch.rows, run.parts);
  const todo = split.map((_, p) => p).filter((p) => !run.ledger.done.has(partKey(batchNo, p)));
  if (batch.rowCount === 0 || todo.length === 0) return true; // nothing, or done before
  if (await cancelIfAsked(run)) return false;
  const groupIds = await createBatchGroups(
    run,
    todo.flatMap((p) => split[p]!),
  );
  const parts = await writeParts(run, {
    batch,
    batchNo,
    todo: todo.map((part) => ({ part, rows: split[part]! })),
    groupIds,
  });
  if (!parts) return stopAfterRollback(run);
  for (const p of parts) addCounts(run.ledger.counts, p.delta);
  await recordProgress(
    run,
    batch,
    parts.flatMap((p) => p.changes),
  );
  if (logger.isLevelEnabled("debug")) logBatch(run.ref.importId, batch, started, parts);
  return true;
}

/**
 * A cancel stopped the batch in flight, which rolled back: drops the groups made for it and
 * ends the run as canceled with the counts committed before it.
 */
async function stopAfterRollback(run: Run): Promise<false> {
  await withTenantClient({ workspaceId: run.ref.workspaceId }, ({ client }) =>
    dropUnusedGroups(client, run.pendingGroups),
  );
  run.pendingGroups = [];
  // The watch saw the cancel (or the import end) on this row: never go on past a batch
  // that was rolled back.
  if (!(await cancelIfAsked(run))) throw new Error("import batch stopped without a cancel");
  return false;
}

/**
 * Ends the run as canceled, with its counts, if a cancel was asked for. Also stops when the
 * import is no longer running at all: a cancel that found this run's job given up by pg-boss
 * (a wedged worker) ended the import without waiting for it.
 */
async function cancelIfAsked(run: Run): Promise<boolean> {
  const { workspaceId, importId } = run.ref;
  return withTenant({ workspaceId }, async (tx) => {
    if (await markCanceled(tx, run.ref, run.ledger.counts)) return true;
    return (await findImport(tx, workspaceId, importId))?.status !== "running";
  });
}

/**
 * Parts in parallel cannot each create the same new group (the second would wait for the
 * first's commit): the batch's groups are created first, on their own. One part creates its
 * own inside its transaction.
 */
async function createBatchGroups(run: Run, rows: ParsedBatch["rows"]) {
  if (run.parts === 1) return undefined;
  const { workspaceId } = run.ref;
  const resolved = await withTenantClient({ workspaceId }, ({ client }) =>
    resolveGroups(client, workspaceId, rows),
  );
  run.pendingGroups = resolved.created;
  return resolved.ids;
}

/**
 * Each part on its own connection, in parallel; committed back to back once all succeeded
 * (only a crash between two commits leaves a part for the retry), else all rolled back. A
 * dry run always rolls back. Null when a cancel stopped the batch (rolled back).
 */
async function writeParts(
  run: Run,
  {
    batch,
    batchNo,
    todo,
    groupIds,
  }: {
    batch: ParsedBatch;
    batchNo: number;
    todo: { part: number; rows: ParsedBatch["rows"] }[];
    groupIds: GroupIds | undefined;
  },
): Promise<PartOutcome[] | null> {
  const { workspaceId, importId } = run.ref;
  const txs = await openTransactions(workspaceId, todo.length);
  const watch = watchForCancel(
    run.ref,
    txs.map((t) => t.client),
  );
  // The change list's room left, shared by the parts.
  const room = Math.max(0, IMPORT_CHANGES_MAX - (run.ledger.counts.changesListed ?? 0));
  const changeLog = { limit: Math.floor(room / todo.length), collect: run.dryRun };
  const locked = lockImportBatch(txs[0]!.client, workspaceId);
  const outcomes = await Promise.allSettled(
    todo.map(async ({ part, rows }, i): Promise<PartOutcome> => {
      const client = txs[i]!.client;
      await locked;
      const result = await writeBatch(client, {
        workspaceId,
        importId,
        fileLabel: run.fileName,
        rows,
        // Rejected rows ride with part 0; a dry run records them after its rollback.
        rejected: part === 0 && !run.dryRun ? batch.rejected : [],
        groupIds,
        mode: run.mode,
        changeLog,
      });
      // Rows the writer rejected (over the attribute limit with their contact's): a dry run
      // records them with the batch's own after its rollback.
      if (run.dryRun) batch.rejected.push(...result.rejectedHere);
      const delta: Partial<ImportCounts> = {
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        changes: result.changes,
        changesListed: result.changesListed,
        invalid: result.invalid + (part === 0 ? batch.invalid : 0),
        ...(part === 0 && {
          processed: batch.rowCount,
          duplicates: batch.duplicates,
          bytesRead: batch.bytesRead,
        }),
      };
      if (!run.dryRun) await recordPart(client, { ...run.ref, batch: batchNo, part }, delta);
      return { delta, timings: result.timings, changes: result.rows };
    }),
  );
  const canceled = await watch.stop();
  const failure = outcomes.find((o) => o.status === "rejected");
  if (canceled || failure || run.dryRun) {
    await Promise.all(txs.map((tx) => tx.rollback().catch(() => undefined)));
    if (canceled) return null;
    if (failure) throw failure.reason;
  } else {
    for (const tx of txs) await tx.commit();
    for (const { part } of todo) run.ledger.done.add(partKey(batchNo, part));
  }
  run.pendingGroups = [];
  return outcomes.map((o) => (o as PromiseFulfilledResult<PartOutcome>).value);
}

/**
 * The counts so far (and, for a dry run, its rejected rows and change list: all it keeps) in
 * one commit.
 */
async function recordProgress(run: Run, batch: ParsedBatch, changes: ChangeRow[]) {
  const { workspaceId, importId } = run.ref;
  await withTenantClient({ workspaceId }, async ({ tx, client }) => {
    if (run.dryRun) {
      await insertChanges(client, { workspaceId, importId, rows: changes });
      await writeBatch(client, {
        workspaceId,
        importId,
        fileLabel: run.fileName,
        rows: [],
        rejected: batch.rejected,
      });
    }
    await saveProgress(tx, run.ref, run.ledger.counts);
  });
}

/**
 * Fails the import with what is committed — what the ledger says (a part may have committed
 * before the error); a dry run has only its own report — and drops the groups made for the
 * batch that never committed.
 */
async function failRun(run: Run, err: Error) {
  const { workspaceId, importId } = run.ref;
  logger.error({ err, importId, processed: run.ledger.counts.processed }, "contact import failed");
  await withTenantClient({ workspaceId }, async ({ tx, client }) => {
    await dropUnusedGroups(client, run.pendingGroups);
    const final = run.dryRun ? run.ledger.counts : (await readLedger(client, importId)).counts;
    // Stored as a code, rendered in the reader's language: the file's own fault keeps its
    // code (e.g. `import.notReadable`), anything else says where it stopped.
    const reason =
      err instanceof AppError
        ? err.ref
        : errorRef("import.stopped", { processed: final.processed });
    await markFailed(tx, run.ref, final, encodeErrorRef(reason));
  }).catch(() => undefined);
}

/** Transactions for the parts of a batch; all or none (a failed open releases the rest). */
async function openTransactions(workspaceId: string, n: number) {
  const opened = await Promise.allSettled(
    Array.from({ length: n }, () => openTenantTransaction({ workspaceId })),
  );
  const failed = opened.find((o) => o.status === "rejected");
  const txs = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
  if (failed) {
    await Promise.all(txs.map((tx) => tx.rollback().catch(() => undefined)));
    throw failed.reason;
  }
  return txs;
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
