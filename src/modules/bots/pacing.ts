/**
 * Pacing that holds across any number of worker processes: GCRA over one `bot_pacing` row
 * per bot. A worker reserves the slots for the sends it just claimed with one short
 * `SELECT … FOR UPDATE` + `UPDATE` (no lock held across a provider call); each slot is
 * spaced by the emission interval (per second / per minute, the stricter) plus the bot's
 * random delay, and the daily cap and quiet hours are enforced at the same place.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import type { Bot } from "./bots.table";
import { localTime, nextLocalMidnight, quietUntil } from "./pacing-clock";

export type PacingBot = Pick<
  Bot,
  | "id"
  | "ratePerSecond"
  | "ratePerMinute"
  | "dailyCap"
  | "dailyUniqueCap"
  | "delayMinMs"
  | "delayMaxMs"
  | "quietStart"
  | "quietEnd"
>;

const PACING_HEADROOM = 1.002;

/**
 * The database clock minus this process's, from the round trip with the least delay seen
 * so far (its midpoint is the best estimate): re-measuring it per reservation would shift
 * each round's slots by that round's response time. Re-estimated every 10 minutes.
 */
const offsetEstimate = { value: 0, rtt: Infinity, at: 0 };

function clockOffset(dbNow: number, sentAt: number, receivedAt: number): number {
  const rtt = receivedAt - sentAt;
  const stale = receivedAt - offsetEstimate.at > 600_000;
  if (rtt <= offsetEstimate.rtt || stale) {
    Object.assign(offsetEstimate, { value: dbNow - (sentAt + rtt / 2), rtt, at: receivedAt });
  }
  return offsetEstimate.value;
}

/** `slots[i]`: local epoch ms at which send i may go. `blockedUntil`: nothing may go before. */
export type Reservation = { slots: number[]; blockedUntil: Date | null };

export function emissionIntervalMs(bot: PacingBot): number {
  return Math.max(
    bot.ratePerSecond ? 1000 / bot.ratePerSecond : 0,
    bot.ratePerMinute ? 60_000 / bot.ratePerMinute : 0,
  );
}

export function dailyCapOf(bot: PacingBot): number | null {
  const caps = [bot.dailyCap, bot.dailyUniqueCap].filter((c): c is number => c !== null);
  return caps.length ? Math.min(...caps) : null;
}

/** Seconds a bot needs for `count` sends at its pacing (for estimates), ignoring caps. */
export function pacedDurationMs(bot: PacingBot, count: number): number {
  const perSend = emissionIntervalMs(bot) + (bot.delayMinMs + bot.delayMaxMs) / 2;
  return perSend * count;
}

/** Whether sends need the shared pacing row at all (unpaced bots skip the round trip). */
export function isPaced(bot: PacingBot): boolean {
  return emissionIntervalMs(bot) > 0 || bot.delayMaxMs > 0 || dailyCapOf(bot) !== null;
}

export async function reserveSlots({
  tx,
  workspaceId,
  bot,
  count,
  timeZone,
  now = new Date(),
}: {
  tx: Tx;
  workspaceId: string;
  bot: PacingBot;
  count: number;
  timeZone: string;
  now?: Date;
}): Promise<Reservation> {
  const quiet = quietUntil(now, timeZone, { start: bot.quietStart, end: bot.quietEnd });
  if (quiet) return { slots: [], blockedUntil: quiet };
  if (count <= 0) return { slots: [], blockedUntil: null };
  if (!isPaced(bot)) return { slots: Array(count).fill(now.getTime()), blockedUntil: null };

  await tx.execute(
    sql`insert into bot_pacing (workspace_id, bot_id) values (${workspaceId}, ${bot.id}) on conflict do nothing`,
  );
  const sentAt = Date.now();
  const { rows } = await tx.execute<{
    tat_ms: string;
    db_now_ms: string;
    day: string | null;
    day_count: number;
  }>(
    sql`select (extract(epoch from tat) * 1000)::float8 as tat_ms,
               (extract(epoch from clock_timestamp()) * 1000)::float8 as db_now_ms,
               day::text as day, day_count
          from bot_pacing where workspace_id = ${workspaceId} and bot_id = ${bot.id} for update`,
  );
  const row = rows[0]!;
  const dbNow = Number(row.db_now_ms);
  // Sleep on the local clock, reserve on the database's: the offset keeps them in step.
  const offset = clockOffset(dbNow, sentAt, Date.now());
  const today = localTime(now, timeZone).date;
  const used = row.day === today ? row.day_count : 0;
  const cap = dailyCapOf(bot);
  const allowed = cap === null ? count : Math.max(0, Math.min(count, cap - used));
  if (allowed === 0) return { slots: [], blockedUntil: nextLocalMidnight(now, timeZone) };

  // 0.2% headroom: slots a hair apart of the rate; the send-time admission (`admitSend`,
  // `recordDeparture`) keeps late and early sends apart, so the total stays near the rate.
  const interval = emissionIntervalMs(bot) * PACING_HEADROOM;
  let at = Math.max(Number(row.tat_ms), dbNow);
  const slots: number[] = [];
  for (let i = 0; i < allowed; i++) {
    slots.push(at - offset);
    const jitter =
      bot.delayMaxMs > 0 ? bot.delayMinMs + Math.random() * (bot.delayMaxMs - bot.delayMinMs) : 0;
    at += interval + jitter;
  }
  await tx.execute(
    sql`update bot_pacing set tat = to_timestamp(${at / 1000}), day = ${today}::date, day_count = ${used + allowed}
         where workspace_id = ${workspaceId} and bot_id = ${bot.id}`,
  );
  return { slots, blockedUntil: null };
}

/** Gives back reserved-but-unused daily slots (a send that was released, not made). */
export async function releaseDailySlots(tx: Tx, workspaceId: string, botId: string, n: number) {
  if (n <= 0) return;
  await tx.execute(
    sql`update bot_pacing set day_count = greatest(0, day_count - ${n})
         where workspace_id = ${workspaceId} and bot_id = ${botId}`,
  );
}

/** Sends a bot may make in any window of `WINDOW_MS`: its per-second rate, when it has one. */
export function perSecondLimit(bot: PacingBot): number | null {
  return bot.ratePerSecond && bot.ratePerSecond <= 1000
    ? Math.max(1, Math.floor(bot.ratePerSecond))
    : null;
}

// A second plus 2 ms: stamps moved to each send's answer (`recordDeparture`) already keep the
// arrivals apart; the margin covers whole-millisecond clocks on the receiving side.
const WINDOW_MS = 1002;

/** The most a send's stamp moves past when its request started (`recordDeparture`), in ms. */
const DEPARTURE_CAP_MS = 50;

/**
 * Admits one send, at once or a little ahead: the bot's last `limit` sends (kept in
 * `bot_pacing.recent`, stamped by the database clock and moved to when each was answered,
 * so read in order) must span over a second, and the previous admission (`last_admit`, not
 * moved) must be at least 90% of the emission interval before — a send that waited is not
 * let out right on the heels of the previous one. The earliest instant that satisfies both is this send's due
 * time: when it is at most one interval (`horizonMs`) away the send is admitted for it and
 * sleeps until then, so no polling round trip lands between the due time and the request;
 * further away, the answer says how long to wait before asking again. One short UPDATE per
 * paced send; the row lock is held only for that statement. The commit does not wait for the
 * WAL flush: a database crash loses at most the last fraction of a second of stamps, and a
 * few sends may go out early right after the restart.
 * `coldMs` stamps this send that much later than its due time: a process's first send through
 * a bot runs cold code and a new connection, and can leave tens of milliseconds late; the
 * sends that follow must keep their distance from when it really leaves.
 * An admitted send's `stamp` (null without a pacing row) goes to `recordDeparture` once the
 * request is answered; `dueAt` is the local epoch ms to send at.
 */
export async function admitSend(
  tx: Tx,
  workspaceId: string,
  botId: string,
  limit: number,
  coldMs = 0,
): Promise<
  { admitted: true; stamp: string | null; dueAt: number } | { admitted: false; waitMs: number }
> {
  const windowSecs = WINDOW_MS / 1000;
  const minGapSecs = minGapMs(limit) / 1000;
  const horizon = horizonMs(limit);
  await tx.execute(sql`set local synchronous_commit = off`);
  const sentAt = Date.now();
  const { rows } = await tx.execute<{ at_ms: string; now_ms: string; stamp: string | null }>(sql`
    with cur as (
      select recent, cardinality(recent) as n, last_admit from bot_pacing
       where workspace_id = ${workspaceId} and bot_id = ${botId} for update
    ),
    clk as (select cur.*, clock_timestamp() as now from cur),
    due as (
      select recent, n, now, greatest(now,
        case when n >= ${limit} then (select s from unnest(recent) s order by s desc
                                      offset ${limit - 1} limit 1) + make_interval(secs => ${windowSecs}) end,
        coalesce(last_admit, recent[n]) + make_interval(secs => ${minGapSecs})) as at
        from clk
    ),
    upd as (
      update bot_pacing p set recent = array(
               select x from (select x from unnest(d.recent || s.at) x order by x desc limit ${limit}) k
                order by x),
             last_admit = s.at
        from due d, lateral (select d.at + make_interval(secs => ${coldMs / 1000}) as at) s
       where d.at <= d.now + make_interval(secs => ${horizon / 1000})
         and p.workspace_id = ${workspaceId} and p.bot_id = ${botId}
      returning s.at
    )
    select (extract(epoch from at) * 1000)::float8 as at_ms,
           (extract(epoch from now) * 1000)::float8 as now_ms,
           (select at::text from upd) as stamp
      from due`);
  const row = rows[0];
  // No pacing row (nothing reserved through the bot yet): nothing to hold the send against.
  if (!row) return { admitted: true, stamp: null, dueAt: Date.now() };
  const offset = clockOffset(Number(row.now_ms), sentAt, Date.now());
  const at = Number(row.at_ms);
  if (row.stamp !== null) return { admitted: true, stamp: row.stamp, dueAt: at - offset };
  return { admitted: false, waitMs: Math.max(1, at - Number(row.now_ms) - horizon / 2) };
}

/** How far ahead a send may be admitted: one interval at the limit, at most 250 ms. */
function horizonMs(limit: number): number {
  return Math.min(250, WINDOW_MS / limit);
}

function minGapMs(limit: number): number {
  return (0.9 * WINDOW_MS) / limit;
}

/**
 * Moves an admitted send's stamp to when its request was answered, at most
 * `DEPARTURE_CAP_MS` after the request started, whatever the rate: the answer comes
 * after the request arrived, so the sends after it keep their distance from its arrival, not
 * from its admission — a late timer, building the request, the client and the network no
 * longer let two sends arrive closer than they were admitted. The cap counts from the start,
 * so however late a send left it is counted whole; only a slow answer is cut short, so a slow
 * provider costs at most the cap per window. Moved stamps may pass the next ones:
 * `admitSend` reads them in order. Both times are local epoch ms, put on the database clock
 * through the measured offset (plus its uncertainty).
 */
export async function recordDeparture(
  tx: Tx,
  workspaceId: string,
  botId: string,
  send: { stamp: string; startedAt: number; answeredAt: number },
): Promise<void> {
  const shift = Number.isFinite(offsetEstimate.rtt)
    ? offsetEstimate.value + offsetEstimate.rtt / 2
    : 0;
  const left = Math.min(send.answeredAt, send.startedAt + DEPARTURE_CAP_MS) + shift;
  await tx.execute(sql`set local synchronous_commit = off`);
  await tx.execute(sql`
    update bot_pacing set recent = array_replace(recent, ${send.stamp}::timestamptz,
           greatest(${send.stamp}::timestamptz, to_timestamp(${left / 1000})))
     where workspace_id = ${workspaceId} and bot_id = ${botId}`);
}
