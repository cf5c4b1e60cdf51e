/**
 * Top contacts over a custom period: the first view answers from the period's contact-days
 * and, beside it, keeps the period per contact (`keepRange`); the views after it — other
 * pages, sorts, group filters, other members — read the kept rows in index order.
 */
import { logger } from "@/lib/logger";
import { withTenant } from "@/server/db/tenant";
import { keepRange, type DayRange } from "./contact-ranges.queries";

/** Workspaces with a fill running in this process. */
const filling = new Set<string>();

/**
 * Starts keeping the period in a transaction of its own and returns at once: a cache fill the
 * view does not wait for. If the process dies first, nothing is lost but the fill, which the
 * period's next view starts again. One fill per workspace at a time in this process: a member
 * paging through many new periods costs the database one fill at a time (a period viewed while
 * another is filled is kept on a later view).
 */
export function keepRangeSoon(workspaceId: string, range: DayRange): void {
  if (filling.has(workspaceId)) return;
  filling.add(workspaceId);
  withTenant({ workspaceId }, (tx) => keepRange(tx, workspaceId, range))
    .catch((err: unknown) =>
      logger.warn({ err: (err as Error).message, workspaceId }, "keeping a custom period failed"),
    )
    .finally(() => filling.delete(workspaceId));
}

/** Resolves once this process's fills have ended (tests, benchmarks, shutdown). */
export async function rangeFillsSettled(): Promise<void> {
  while (filling.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}
