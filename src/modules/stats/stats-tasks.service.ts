/**
 * The dashboard's bot tasks panel: tasks open now (from the tasks module) and final outcomes
 * over the range from the folded `stats_task_day` counters — per day, action and bot.
 */
import { botNamesByIds } from "@/modules/bots/bots.service";
import { openTaskCounts } from "@/modules/tasks/task-stats.service";
import { eachDay } from "./calendar";
import type { TasksInput } from "./stats.schema";
import type { StatsScope } from "./stats.service";
import { sumTaskDays, type TaskOutcomeCount } from "./stats.queries";

const FIELDS = {
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  CANCELED: "canceled",
  TIMED_OUT: "timedOut",
} as const;

type Outcomes = { succeeded: number; failed: number; canceled: number; timedOut: number };
type Row = Outcomes & { timed: number; durationMs: number };

const none = (): Row => ({
  succeeded: 0,
  failed: 0,
  canceled: 0,
  timedOut: 0,
  timed: 0,
  durationMs: 0,
});
const total = (r: Outcomes) => r.succeeded + r.failed + r.canceled + r.timedOut;

/** Counts per key with the four outcomes (zeros included), their timed count and duration. */
function perKey(counts: TaskOutcomeCount[]): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const c of counts) {
    const field = FIELDS[c.status as keyof typeof FIELDS];
    if (!field) continue;
    const row = out.get(c.key) ?? none();
    row[field] += c.n;
    row.timed += c.timed;
    row.durationMs += c.durationMs;
    out.set(c.key, row);
  }
  return out;
}

const outcomes = ({ succeeded, failed, canceled, timedOut }: Row): Outcomes => ({
  succeeded,
  failed,
  canceled,
  timedOut,
});

/** Most outcomes first, then by key. */
const byMost = <T extends Outcomes>(rows: T[], key: (r: T) => string) =>
  rows.sort((a, b) => total(b) - total(a) || key(a).localeCompare(key(b)));

export async function statsTasks({ tx, workspaceId, input }: StatsScope & { input: TasksInput }) {
  const open = await openTaskCounts({ tx, workspaceId, botId: input.botId });
  const sums = await sumTaskDays(tx, workspaceId, input);
  const names = await botNamesByIds({ tx, workspaceId, ids: sums.bot.map((b) => b.key) });
  const days = perKey(sums.day);
  const finished = [...days.values()].reduce((a, d) => {
    for (const f of Object.values(FIELDS)) a[f] += d[f];
    return a;
  }, none());
  const settled = finished.succeeded + finished.failed + finished.timedOut;
  return {
    open,
    finished: outcomes(finished),
    successRate: settled === 0 ? null : finished.succeeded / settled,
    days: eachDay(input.from, input.to).map((day) => ({
      day,
      ...outcomes(days.get(day) ?? none()),
    })),
    byAction: byMost(
      [...perKey(sums.action)].map(([action, r]) => ({
        action,
        ...outcomes(r),
        avgMs: r.timed === 0 ? null : r.durationMs / r.timed,
      })),
      (r) => r.action,
    ),
    byBot: byMost(
      [...perKey(sums.bot)].map(([id, r]) => ({
        id,
        name: names.get(id) ?? null,
        ...outcomes(r),
      })),
      (r) => r.id,
    ),
  };
}
