/**
 * Cron arithmetic shared by the server (validation, firing slots, the list's next runs) and
 * the browser (the live preview while typing): five-field cron expressions evaluated in an
 * IANA time zone with cron-parser — the library pg-boss fires schedules with — and read
 * aloud with cronstrue in Spanish or English.
 */
import { CronExpressionParser } from "cron-parser";
import cronstrue from "cronstrue";
import "cronstrue/locales/es";
import type { ErrorKey } from "@/lib/error-ref";

export const NEXT_RUNS = 5;

/** A real IANA zone (what Intl, cron-parser and pg-boss all accept). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.trim() !== timeZone) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a cron expression, as an error key, or null when it is usable. */
export function cronProblem(cron: string): ErrorKey | null {
  const fields = cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return "schedule.cronFields";
  try {
    CronExpressionParser.parse(fields.join(" "), { tz: "UTC" }).next();
    return null;
  } catch {
    return "schedule.cronInvalid";
  }
}

/** The expression as stored: single spaces between its five fields. */
export function normalizeCron(cron: string): string {
  return cron.trim().split(/\s+/).join(" ");
}

/**
 * The latest occurrence at or before `at`: the slot a firing at `at` belongs to. This is how
 * pg-boss decides an occurrence is due (cron-parser's `prev()` over the last minute), so it is
 * also how a firing names the occurrence it serves.
 */
export function slotAt(cron: string, timeZone: string, at: Date): Date {
  // prev() answers strictly before its reference, so one millisecond past `at` includes it.
  const interval = CronExpressionParser.parse(cron, {
    tz: timeZone,
    currentDate: new Date(at.getTime() + 1),
  });
  return interval.prev().toDate();
}

/**
 * Whether pg-boss really fires `occurrence`, an occurrence `next()` produced: its due check
 * (`prev()`) must find it. On the spring DST night a wall time that does not exist (02:30 in
 * Madrid on the last Sunday of March) makes `next()` answer with the shifted instant, which
 * `prev()` never returns, so nothing fires then.
 */
function fires(cron: string, timeZone: string, occurrence: Date): boolean {
  return slotAt(cron, timeZone, occurrence).getTime() === occurrence.getTime();
}

/**
 * The next `count` occurrences strictly after `from`, in `timeZone`, that will really fire:
 * `next()`'s walk, which already leaves out the repeated wall time of the autumn DST night,
 * without the instants of a spring DST gap that pg-boss's due check never reaches.
 */
export function nextRuns(cron: string, timeZone: string, from = new Date(), count = NEXT_RUNS) {
  const interval = CronExpressionParser.parse(cron, { tz: timeZone, currentDate: from });
  const runs: Date[] = [];
  // A gap skips at most a few occurrences a year; the bound only guards the loop.
  for (let step = 0; runs.length < count && step < count * 4 + 24; step++) {
    const occurrence = interval.next().toDate();
    if (fires(cron, timeZone, occurrence)) runs.push(occurrence);
  }
  return runs;
}

/** The first occurrence `next()` gives strictly after `after`. */
function firstOccurrenceAfter(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timeZone, currentDate: after }).next().toDate();
}

/**
 * Whether a firing for `slot` may be claimed when `lastFired` was the last slot fired: only
 * a slot at or after the first `next()` occurrence following `lastFired`. On the autumn DST
 * night `prev()` answers with the repeated wall time twice (02:30 CEST, then 02:30 CET an hour
 * later), and both are "newer" than the slot before; `next()` walks past the repeat, so the
 * second is refused and a daily schedule fires once that night, as its preview promised.
 * An hourly expression (hour `*`) keeps both: each is a real hour `next()` produces.
 */
export function slotClaimable(
  cron: string,
  timeZone: string,
  lastFired: Date | null,
  slot: Date,
): boolean {
  if (!lastFired) return true;
  return slot.getTime() >= firstOccurrenceAfter(cron, timeZone, lastFired).getTime();
}

/** "Every hour" / "Cada hora"; null when cronstrue cannot read an expression cron-parser can. */
export function describeCron(cron: string, locale: "es" | "en"): string | null {
  try {
    return cronstrue.toString(cron, { locale, use24HourTimeFormat: true, verbose: false });
  } catch {
    return null;
  }
}
