/**
 * Progress pushes for the campaign page from the hot paths (settled sends, provider
 * receipts), sent after their commit and coalesced per campaign and process: at most one
 * `campaign_progress` notification per campaign every 200 ms.
 *
 * A NOTIFY inside those transactions made every commit that carried one wait its turn on
 * the server's notification-queue lock (one flush after another, no group commit) — with
 * eight batches settling at once, that queue set the send rate. Missing one is harmless:
 * the progress stream re-reads the campaign every 2 s anyway, and state changes (launch,
 * pause, completion) still notify inside their own transactions.
 */
import { logger } from "@/lib/logger";
import { appPool } from "@/server/db/client";

const COALESCE_MS = 200;
const scheduled = new Set<string>();

export function announceProgress(campaignIds: Iterable<string>): void {
  for (const id of campaignIds) {
    if (scheduled.has(id)) continue;
    scheduled.add(id);
    const timer = setTimeout(() => {
      scheduled.delete(id);
      appPool()
        .query("select pg_notify('campaign_progress', $1)", [id])
        .catch((err: Error) =>
          logger.warn({ err: err.message, campaignId: id }, "progress not announced"),
        );
    }, COALESCE_MS);
    timer.unref();
  }
}
