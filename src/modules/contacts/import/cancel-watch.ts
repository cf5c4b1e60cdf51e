/**
 * A cancel asked for while a batch is being written stops that batch at once: the watch reads
 * the import's row every second and, once a cancel is asked (or the import is no longer
 * running), cancels the statements on the batch's connections. The batch then rolls back
 * whole, so what the counts say is still exactly what was saved — without waiting for a
 * batch that may take a minute on a busy machine.
 *
 * The server drops a cancel that lands while the connection sits between two statements
 * (the batch's Node side is parsing, or the next statement is on its way), so once canceled
 * the watch sends it again every `RECANCEL_MS` until the writer stops it: one lost request
 * would otherwise let the batch run to its end.
 */
import type { PoolClient } from "pg";
import { logger } from "@/lib/logger";
import { cancelRunningQuery } from "@/server/db/cancel-query";
import { withTenant } from "@/server/db/tenant";
import { findImport, type ImportRef } from "../imports.queries";

export const CANCEL_POLL_MS = 1000;
export const RECANCEL_MS = 200;

export type CancelWatch = {
  /**
   * Ends the watch; true when it canceled the batch (which must then be rolled back). Waits
   * for a cancel request in flight, so none can reach a statement issued after this.
   */
  stop(): Promise<boolean>;
};

async function cancelAsked(ref: ImportRef): Promise<boolean> {
  const row = await withTenant({ workspaceId: ref.workspaceId }, (tx) =>
    findImport(tx, ref.workspaceId, ref.importId),
  );
  return !row || row.status !== "running" || row.cancelRequestedAt !== null;
}

/** Watches `ref` while `clients` write a batch; see the module comment. */
export function watchForCancel(
  ref: ImportRef,
  clients: PoolClient[],
  pollMs = CANCEL_POLL_MS,
): CancelWatch {
  let stopped = false;
  let canceled = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const check = async () => {
    if (stopped) return;
    if (!canceled) {
      if (!(await cancelAsked(ref)) || stopped) return;
      canceled = true;
      logger.info({ importId: ref.importId }, "import batch stopped by a cancel");
    }
    await Promise.all(clients.map((c) => cancelRunningQuery(c)));
  };
  const schedule = () => {
    timer = setTimeout(
      () => {
        inFlight = check()
          .catch((err: unknown) =>
            logger.warn({ err, importId: ref.importId }, "import cancel check failed"),
          )
          .finally(() => {
            if (!stopped) schedule();
          });
      },
      canceled ? RECANCEL_MS : pollMs,
    );
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      return canceled;
    },
  };
}
