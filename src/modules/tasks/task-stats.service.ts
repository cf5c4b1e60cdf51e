/**
 * What the dashboard shows of bot tasks (the stats module calls this; it never reads
 * `bot_task` itself): tasks open now, and those that finished within a range of local days —
 * per day, per action with durations, and per bot.
 */
import type { Tx } from "@/server/db/tenant";
import { countOpenTasks, finishedTaskTotals, type TaskCount } from "./task-stats.queries";

export type FinishedCounts = {
  succeeded: number;
  failed: number;
  canceled: number;
  timedOut: number;
};

const FINISHED_KEYS = {
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  CANCELED: "canceled",
  TIMED_OUT: "timedOut",
} as const;

const noneFinished = (): FinishedCounts => ({ succeeded: 0, failed: 0, canceled: 0, timedOut: 0 });

/** Counts per key, each with its four final statuses (zeros included). */
function perKey(counts: TaskCount[]): Map<string, FinishedCounts> {
  const out = new Map<string, FinishedCounts>();
  for (const c of counts) {
    const field = FINISHED_KEYS[c.status as keyof typeof FINISHED_KEYS];
    if (!field) continue;
    const row = out.get(c.key) ?? noneFinished();
    row[field] += c.n;
    out.set(c.key, row);
  }
  return out;
}

export async function taskStats({
  tx,
  workspaceId,
  timeZone,
  from,
  to,
  botId,
}: {
  tx: Tx;
  workspaceId: string;
  timeZone: string;
  from: string;
  to: string;
  botId?: string;
}) {
  const open = await countOpenTasks(tx, workspaceId, botId);
  const finished = await finishedTaskTotals(tx, workspaceId, { from, to, timeZone, botId });
  const openCount = (status: string) => open.find((o) => o.status === status)?.n ?? 0;
  const durations = new Map(finished.durations.map((d) => [d.action, d]));
  const days = perKey(finished.byDay);
  const total = [...days.values()].reduce((a, d) => {
    for (const k of Object.values(FINISHED_KEYS)) a[k] += d[k];
    return a;
  }, noneFinished());
  return {
    open: {
      pending: openCount("PENDING"),
      leased: openCount("LEASED"),
      running: openCount("RUNNING"),
    },
    finished: total,
    /** Local day → its finished counts (days without any are absent). */
    byDay: days,
    byAction: [...perKey(finished.byAction)].map(([action, counts]) => {
      const d = durations.get(action);
      return {
        action,
        ...counts,
        avgMs: d?.avgMs ?? null,
        p50Ms: d?.p50Ms ?? null,
        p95Ms: d?.p95Ms ?? null,
      };
    }),
    byBot: [...perKey(finished.byBot)].map(([botId, counts]) => ({ botId, ...counts })),
  };
}
