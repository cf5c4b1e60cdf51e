/**
 * "Select all N that match": a bulk action over the list's filters, run by the contacts.bulk
 * job in batches of BATCH contacts by id (keyset), each batch committed with the run's
 * progress and cursor — a retried job goes on from the last batch done, and the person
 * watches `processed` grow. The end is audited once, with the filter and the counts.
 */
import { bulkContactsByFilter } from "@jobs/contacts/bulk.job";
import { enqueue } from "@jobs/enqueue";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { withTenant } from "@/server/db/tenant";
import {
  findBulkRun,
  findMatchingIds,
  insertBulkRun,
  lockBulkRun,
  markBulkRunFailed,
  saveBulkProgress,
  type BulkRunRef,
} from "./bulk-runs.queries";
import {
  applyBulkAction,
  BULK_AUDIT_ACTIONS,
  resolveBulkParams,
  type BulkAction,
  type BulkParams,
} from "./contacts-bulk.service";
import { resolveSearch } from "./contact-search";
import { contactWhere } from "./contacts.queries";
import type { BulkByFilterInput, BulkRunView, ContactFilters } from "./contacts.schema";
import type { ContactBulkRun } from "./contacts.table";

const BATCH = 1000;

type RunParams = BulkParams & { meta: RequestMeta | null };

function toView(run: ContactBulkRun): BulkRunView {
  return {
    id: run.id,
    action: run.action as BulkAction,
    status: run.status,
    expected: run.expected,
    processed: run.processed,
    affected: run.affected,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}

/** Checks the action's group or reason, records the run and queues its job. */
export async function startBulkRun({
  workspaceId,
  actorUserId,
  meta,
  input,
}: {
  workspaceId: string;
  actorUserId: string | null;
  meta: RequestMeta | null;
  input: BulkByFilterInput;
}): Promise<BulkRunView> {
  const run = await withTenant({ workspaceId, userId: actorUserId }, async (tx) => {
    const params = await resolveBulkParams(tx, workspaceId, input);
    return insertBulkRun(tx, {
      workspaceId,
      createdBy: actorUserId,
      action: input.action,
      filters: input.filters,
      params: { ...params, meta } satisfies RunParams,
      expected: input.expected,
    });
  });
  const ref = { workspaceId, runId: run.id };
  try {
    await enqueue(bulkContactsByFilter, ref);
  } catch (err) {
    await withTenant({ workspaceId }, (tx) => markBulkRunFailed(tx, ref, "failed"));
    throw err;
  }
  return toView(run);
}

export async function getBulkRun(ref: BulkRunRef): Promise<BulkRunView> {
  const run = await withTenant({ workspaceId: ref.workspaceId }, (tx) => findBulkRun(tx, ref));
  if (!run) throw new AppError("NOT_FOUND", "contact.bulkRunNotFound");
  return toView(run);
}

/**
 * Runs the action batch after batch until no matching contact is left after the cursor.
 * Idempotent: a batch and its progress commit together, the run row is locked meanwhile.
 */
export async function runBulkRun({
  signal,
  lastAttempt = true,
  ...ref
}: BulkRunRef & { signal?: AbortSignal; lastAttempt?: boolean }): Promise<void> {
  try {
    // A run given up by pg-boss stops between batches; the retry goes on from the cursor.
    while (!signal?.aborted && !(await runOneBatch(ref))) {
      /* next batch */
    }
  } catch (err) {
    if (lastAttempt) {
      await withTenant({ workspaceId: ref.workspaceId }, (tx) =>
        markBulkRunFailed(tx, ref, "failed"),
      );
    }
    throw err;
  }
}

/** One batch in one transaction; true when the run is over. */
function runOneBatch(ref: BulkRunRef): Promise<boolean> {
  const { workspaceId, runId } = ref;
  return withTenant({ workspaceId }, async (tx) => {
    const run = await lockBulkRun(tx, ref);
    if (!run) return true;
    const filters = run.filters as Omit<ContactFilters, "sort" | "dir">;
    const { meta, ...params } = run.params as RunParams;
    const action = run.action as BulkAction;
    const search = await resolveSearch(tx, workspaceId, filters.search);
    const where = contactWhere(workspaceId, filters, search);
    const ids = await findMatchingIds(tx, where, run.cursor, BATCH);
    const affected = ids.length
      ? await applyBulkAction(tx, { workspaceId, actorUserId: run.createdBy, action, ids, params })
      : 0;
    const done = ids.length < BATCH;
    const progress = {
      processed: run.processed + ids.length,
      affected: run.affected + affected,
      cursor: ids.at(-1) ?? run.cursor,
      status: done ? ("completed" as const) : ("running" as const),
    };
    await saveBulkProgress(tx, ref, progress);
    if (done) {
      await recordAudit(tx, meta, {
        workspaceId,
        actorUserId: run.createdBy,
        action: BULK_AUDIT_ACTIONS[action],
        target: { type: "contact_bulk_run", id: runId },
        after: {
          filters,
          count: progress.affected,
          matched: progress.processed,
          expected: run.expected,
          ...params,
        },
      });
    }
    return done;
  });
}
