/**
 * One bot's sends and failures per day of the workspace's time zone, for its detail page:
 * read from the folded day counters like every dashboard number.
 */
import type { Tx } from "@/server/db/tenant";
import { addDays, eachDay, todayIn } from "./calendar";
import { sumDays } from "./stats.queries";

export type BotDay = { day: string; sent: number; failed: number };

/** The last `days` local days up to today, oldest first; days without sends are zeros. */
export async function botDailyActivity({
  tx,
  workspaceId,
  timeZone,
  botId,
  days,
}: {
  tx: Tx;
  workspaceId: string;
  timeZone: string;
  botId: string;
  days: number;
}): Promise<BotDay[]> {
  const to = todayIn(timeZone);
  const from = addDays(to, 1 - days);
  const counts = await sumDays(tx, workspaceId, { from, to, by: "day", dims: { botId } });
  const byDay = new Map(eachDay(from, to).map((day) => [day, { day, sent: 0, failed: 0 }]));
  for (const c of counts) {
    const point = byDay.get(c.key);
    if (point && (c.status === "sent" || c.status === "failed")) point[c.status] += c.n;
  }
  return [...byDay.values()];
}
