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

/** The next `count` occurrences strictly after `from`, in `timeZone`. */
export function nextRuns(cron: string, timeZone: string, from = new Date(), count = NEXT_RUNS) {
  const interval = CronExpressionParser.parse(cron, { tz: timeZone, currentDate: from });
  return Array.from({ length: count }, () => interval.next().toDate());
}

/** The latest occurrence at or before `at`: the slot a firing at `at` belongs to. */
export function slotAt(cron: string, timeZone: string, at: Date): Date {
  // prev() answers strictly before its reference, so one millisecond past `at` includes it.
  const interval = CronExpressionParser.parse(cron, {
    tz: timeZone,
    currentDate: new Date(at.getTime() + 1),
  });
  return interval.prev().toDate();
}

/** "Every hour" / "Cada hora"; null when cronstrue cannot read an expression cron-parser can. */
export function describeCron(cron: string, locale: "es" | "en"): string | null {
  try {
    return cronstrue.toString(cron, { locale, use24HourTimeFormat: true, verbose: false });
  } catch {
    return null;
  }
}
