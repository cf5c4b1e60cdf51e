/** Calendar arithmetic on local `YYYY-MM-DD` days (no time zone: the days already are local). */
const DAY_MS = 86_400_000;

const toMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addDays = (day: string, n: number) => fromMs(toMs(day) + n * DAY_MS);

/** First day of the month `n` months after `day`'s (n may be negative). */
export function monthStart(day: string, n = 0): string {
  const d = new Date(toMs(day));
  return fromMs(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
}

export const lastDayOfMonth = (day: string) => addDays(monthStart(day, 1), -1);

/** Every day from `from` to `to`, inclusive. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = toMs(from); ms <= toMs(to); ms += DAY_MS) out.push(fromMs(ms));
  return out;
}

/** Every `YYYY-MM` from `from`'s month to `to`'s. */
export function eachMonth(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m <= to; m = monthStart(m, 1)) out.push(m.slice(0, 7));
  return out;
}

/** Every local wall-clock hour of the days `from`..`to`, as `YYYY-MM-DD HH:00`. */
export function eachHour(from: string, to: string): string[] {
  return eachDay(from, to).flatMap((d) =>
    Array.from({ length: 24 }, (_, h) => `${d} ${String(h).padStart(2, "0")}:00`),
  );
}

/** Today in `timeZone`, as `YYYY-MM-DD` (the IANA database of the runtime, as Postgres's). */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/** The dashboard's preset periods, each as the first day of the period that ends on `today`. */
export const PERIOD_PRESETS = {
  today: (today: string) => today,
  "7d": (today: string) => addDays(today, -6),
  "30d": (today: string) => addDays(today, -29),
  month: (today: string) => monthStart(today),
} as const;

/** The distinct first days of the preset periods ending on `today`. */
export const presetStarts = (today: string) => [
  ...new Set(Object.values(PERIOD_PRESETS).map((start) => start(today))),
];
