import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineJob } from "../define";

/** How often a running fold job folds, and how long one job keeps at it before handing over. */
const TICK_MS = 2_000;
const RUN_MS = 50_000;

/**
 * Dashboard counters (src/modules/stats): one job folds new message events every 2 s for
 * about a minute, then queues its successor; the cron restarts the chain should a worker die
 * mid-run. `stately` keeps at most one running and one waiting. The first pass of each run
 * covers every workspace with events (first folds); later passes those with recent ones.
 * A shutting-down process ends the loop at once (pg-boss's graceful stop would otherwise wait
 * for it until the drain deadline) and leaves the next run to the cron.
 */
export const foldStats = defineJob({
  name: "stats.fold",
  // A workspace's first fold (an upgrade with years of events) rebuilds it in one go: the
  // job may run for minutes then, not only its usual minute.
  options: { policy: "stately", retryLimit: 0, expireInSeconds: 1800 },
  schema: z.object({}).passthrough(),
  cron: { expression: "* * * * *" },
  work: { localConcurrency: 1, pollingIntervalSeconds: 1 },
  async handle({ signal }) {
    const { foldAll } = await import("@/modules/stats/fold.service");
    const { enqueue } = await import("../enqueue");
    const { shutdownSignal } = await import("@/server/shutdown");
    const stop = AbortSignal.any([signal, shutdownSignal]);
    const started = Date.now();
    let everyWorkspace = true;
    let events = 0;
    while (!stop.aborted && Date.now() - started < RUN_MS) {
      events += (await foldAll({ everyWorkspace })).events;
      everyWorkspace = false;
      await sleep(TICK_MS, undefined, { signal: stop }).catch(() => undefined);
    }
    if (!stop.aborted) await enqueue(foldStats, {});
    return { events };
  },
});
