/**
 * Keeps the stats tables in step with message events and bot task outcomes: `foldWorkspace` adds what committed
 * since the last fold (the `stats.fold` job, every 2 s), `rebuildStats` recomputes a
 * workspace from all its events (`npm run cli -- rollups rebuild`). Both produce the same
 * numbers: a counter is a sum over events, folded once each.
 */
import { eventsSince, workspacesWithEvents } from "@/modules/campaigns/stats-reads.service";
import { taskOutcomesSince, workspacesWithTaskEvents } from "@/modules/tasks/task-stats.service";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { logger } from "@/lib/logger";
import { withTenant } from "@/server/db/tenant";
import { presetStarts } from "./calendar";
import { dropUnusedRanges } from "./contact-ranges.queries";
import {
  clearStats,
  foldEvents,
  lockFoldState,
  rollContactWindows,
  workspacesWithStaleWindows,
} from "./fold.queries";

/**
 * How far before the previous fold a fold looks for newly committed events. An event carries
 * its transaction's start time, so one written by a transaction that ran longer than this
 * and committed after a fold is only counted by a rebuild (the nightly one, or the CLI).
 */
export const LATE_COMMIT_WINDOW_MS = 5 * 60_000;

/**
 * Folds one workspace's new events; the first fold, or a changed time zone, rebuilds it. The
 * first fold of a new local day moves the per-contact preset windows to that day; every fold
 * drops the kept custom periods past their use.
 */
export function foldWorkspace({
  workspaceId,
  rebuild = false,
}: {
  workspaceId: string;
  rebuild?: boolean;
}) {
  return withTenant({ workspaceId }, async (tx) => {
    const { timeZone } = await getWorkspace({ tx, workspaceId });
    const state = await lockFoldState(tx, workspaceId, timeZone);
    const full = rebuild || state.snapshot === null || state.timeZone !== timeZone;
    if (full) await clearStats(tx, workspaceId);
    else await dropUnusedRanges(tx, workspaceId);
    const windows = { day: state.today, starts: presetStarts(state.today) };
    if (full || state.windowDay !== state.today) await rollContactWindows(tx, workspaceId, windows);
    const window = {
      workspaceId,
      since: full ? null : new Date(state.foldedAt.getTime() - LATE_COMMIT_WINDOW_MS),
      after: full ? null : state.snapshot,
    };
    const folded = await foldEvents(tx, {
      workspaceId,
      timeZone,
      source: eventsSince(window),
      tasks: taskOutcomesSince(window),
      windows,
    });
    return { ...folded, rebuilt: full };
  });
}

export function rebuildStats({ workspaceId }: { workspaceId: string }) {
  return foldWorkspace({ workspaceId, rebuild: true });
}

/**
 * One pass over the workspaces that need it: those with recent message or task events or whose
 * preset windows are a day behind, or with `everyWorkspace` all that have any events (a
 * workspace never folded gets its first, full fold).
 */
export async function foldAll({ everyWorkspace }: { everyWorkspace: boolean }) {
  const recent = everyWorkspace ? null : Math.ceil(LATE_COMMIT_WINDOW_MS / 1000);
  const ids = [
    ...new Set([
      ...(await workspacesWithEvents(recent)),
      ...(await workspacesWithTaskEvents(recent)),
      ...(await workspacesWithStaleWindows()),
    ]),
  ];
  let events = 0;
  let failed = 0;
  for (const workspaceId of ids) {
    // One workspace's failure (say, a time zone the database does not know) must not stop
    // the others' dashboards: it is logged and tried again on the next pass.
    try {
      events += (await foldWorkspace({ workspaceId })).events;
    } catch (err) {
      failed++;
      logger.error({ err, workspaceId }, "stats fold of a workspace failed");
    }
  }
  if (failed === ids.length && failed > 0)
    throw new Error(`stats fold failed for ${failed} workspaces`);
  return { workspaces: ids.length, events, failed };
}
