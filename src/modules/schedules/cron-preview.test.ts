import { describe, expect, it } from "vitest";
import {
  cronProblem,
  describeCron,
  isTimeZone,
  nextRuns,
  normalizeCron,
  slotAt,
  slotClaimable,
} from "./cron-preview";

describe("cron helpers", () => {
  it("accepts five-field expressions only", () => {
    expect(cronProblem("0 * * * *")).toBeNull();
    expect(cronProblem(" */15  9-17 * * 1-5 ")).toBeNull();
    expect(cronProblem("0 9 * * MON")).toBeNull();
    expect(cronProblem("0 0 * * * *")).toBe("schedule.cronFields");
    expect(cronProblem("0 * *")).toBe("schedule.cronFields");
    expect(cronProblem("")).toBe("schedule.cronFields");
    expect(cronProblem("61 * * * *")).toBe("schedule.cronInvalid");
    expect(cronProblem("a b c d e")).toBe("schedule.cronInvalid");
    expect(normalizeCron("  0   9 * *  1 ")).toBe("0 9 * * 1");
  });

  it("knows IANA time zones", () => {
    expect(isTimeZone("America/Asuncion")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Madrid")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone(" UTC")).toBe(false);
  });

  it("computes the next runs in the schedule's zone", () => {
    const from = new Date("2026-07-01T10:30:00Z");
    // 09:00 in Madrid (UTC+2 in July) is 07:00 UTC; in Asunción (UTC-3) it is 12:00 UTC.
    expect(nextRuns("0 9 * * *", "Europe/Madrid", from, 2).map((d) => d.toISOString())).toEqual([
      "2026-07-02T07:00:00.000Z",
      "2026-07-03T07:00:00.000Z",
    ]);
    expect(nextRuns("0 9 * * *", "America/Asuncion", from, 1)[0]!.toISOString()).toBe(
      "2026-07-01T12:00:00.000Z",
    );
    expect(nextRuns("0 * * * *", "UTC", from)).toHaveLength(5);
    // Madrid leaves summer time on 2026-10-25: 09:00 is then 08:00 UTC.
    const autumn = new Date("2026-10-24T12:00:00Z");
    expect(nextRuns("0 9 * * *", "Europe/Madrid", autumn, 1)[0]!.toISOString()).toBe(
      "2026-10-25T08:00:00.000Z",
    );
  });

  it("files a firing under the occurrence at or before it", () => {
    const slot = (at: string) => slotAt("0 * * * *", "UTC", new Date(at)).toISOString();
    expect(slot("2026-07-01T10:00:00.000Z")).toBe("2026-07-01T10:00:00.000Z");
    expect(slot("2026-07-01T10:00:42.000Z")).toBe("2026-07-01T10:00:00.000Z");
    expect(slot("2026-07-01T10:59:59.999Z")).toBe("2026-07-01T10:00:00.000Z");
    expect(slot("2026-07-01T11:00:00.000Z")).toBe("2026-07-01T11:00:00.000Z");
    // Daily at 09:00 in Asunción, fired a few seconds late.
    expect(
      slotAt("0 9 * * *", "America/Asuncion", new Date("2026-07-01T12:00:03Z")).toISOString(),
    ).toBe("2026-07-01T12:00:00.000Z");
  });

  it("lists only runs pg-boss really fires across DST changes", () => {
    const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
    // Spring: 02:30 does not exist in Madrid on 2026-03-29; prev() never reaches the
    // instant next() would answer with (01:30Z), so the preview does not promise it.
    expect(
      iso(nextRuns("30 2 * * *", "Europe/Madrid", new Date("2026-03-27T12:00:00Z"), 3)),
    ).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"]);
    // Autumn: 02:30 happens twice on 2026-10-25; it is listed once.
    expect(
      iso(nextRuns("30 2 * * *", "Europe/Madrid", new Date("2026-10-24T12:00:00Z"), 2)),
    ).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
    // An hourly expression keeps every real hour, both 02:30s included.
    expect(
      iso(nextRuns("30 * * * *", "Europe/Madrid", new Date("2026-10-25T00:00:00Z"), 3)),
    ).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00.000Z", "2026-10-25T02:30:00.000Z"]);
  });

  it("claims the repeated autumn wall time once", () => {
    const cron = "30 2 * * *";
    const tz = "Europe/Madrid";
    const first = slotAt(cron, tz, new Date("2026-10-25T00:30:05Z"));
    const repeat = slotAt(cron, tz, new Date("2026-10-25T01:30:05Z"));
    expect(first.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(repeat.toISOString()).toBe("2026-10-25T01:30:00.000Z");
    expect(slotClaimable(cron, tz, new Date("2026-10-24T00:30:00Z"), first)).toBe(true);
    expect(slotClaimable(cron, tz, first, repeat)).toBe(false);
    expect(slotClaimable(cron, tz, first, new Date("2026-10-26T01:30:00Z"))).toBe(true);
    expect(slotClaimable(cron, tz, null, repeat)).toBe(true);
    // Hourly: the second 02:30 is an hour of its own.
    expect(slotClaimable("30 * * * *", tz, first, repeat)).toBe(true);
  });

  it("reads expressions aloud in Spanish and English", () => {
    expect(describeCron("0 * * * *", "es")).toBe("Cada hora");
    expect(describeCron("0 * * * *", "en")).toBe("Every hour");
    expect(describeCron("0 9 * * 1", "es")).toMatch(/09:00.*lunes/);
    expect(describeCron("0 9 * * 1", "en")).toMatch(/09:00.*Monday/);
    expect(describeCron("nonsense", "en")).toBeNull();
  });
});
