/**
 * Wall-clock helpers for pacing in the workspace's time zone: today's date (daily caps) and
 * quiet hours ("22:00"–"08:00" may wrap midnight). Pure functions, so they are tested alone.
 */
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

type LocalTime = { date: string; minutes: number; seconds: number };

export function localTime(at: Date, timeZone: string): LocalTime {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    minutes: Number(p.hour) * 60 + Number(p.minute),
    seconds: Number(p.second),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When quiet hours hold at `at`, the instant they end; otherwise null. The end is found by
 * stepping local minutes, so DST changes inside the window are handled by Intl.
 */
export function quietUntil(
  at: Date,
  timeZone: string,
  quiet: { start: string | null; end: string | null },
): Date | null {
  if (!quiet.start || !quiet.end || quiet.start === quiet.end) return null;
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  const now = localTime(at, timeZone);
  const inside =
    start < end
      ? now.minutes >= start && now.minutes < end
      : now.minutes >= start || now.minutes < end;
  if (!inside) return null;
  const minutesLeft = (end - now.minutes + 24 * 60) % (24 * 60) || 24 * 60;
  const approx = new Date(at.getTime() + minutesLeft * 60_000 - now.seconds * 1000);
  // A DST jump inside the window shifts the wall clock by up to an hour: correct for it.
  const drift = localTime(approx, timeZone).minutes - end;
  return drift === 0 ? approx : new Date(approx.getTime() - drift * 60_000);
}

/** The next local midnight after `at` (when a daily cap resets). */
export function nextLocalMidnight(at: Date, timeZone: string): Date {
  const now = localTime(at, timeZone);
  const approx = new Date(at.getTime() + (24 * 60 - now.minutes) * 60_000 - now.seconds * 1000);
  const drift = localTime(approx, timeZone).minutes;
  const corrected =
    drift === 0
      ? approx
      : new Date(approx.getTime() - (drift > 720 ? drift - 1440 : drift) * 60_000);
  return corrected;
}
