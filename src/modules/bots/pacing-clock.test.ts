import { describe, expect, it } from "vitest";
import { localTime, nextLocalMidnight, quietUntil } from "./pacing-clock";

const TZ = "America/Asuncion"; // UTC-3 all year since 2024

describe("localTime", () => {
  it("gives the workspace's date, not UTC's", () => {
    expect(localTime(new Date("2026-12-02T01:30:00Z"), TZ)).toEqual({
      date: "2026-12-01",
      minutes: 22 * 60 + 30,
      seconds: 0,
    });
  });
});

describe("quietUntil", () => {
  const night = { start: "22:00", end: "08:00" };

  it("is null outside quiet hours and without them", () => {
    expect(quietUntil(new Date("2026-12-01T15:00:00Z"), TZ, night)).toBeNull();
    expect(quietUntil(new Date("2026-12-01T15:00:00Z"), TZ, { start: null, end: null })).toBeNull();
  });

  it("ends the window at its local end, across midnight", () => {
    // 23:10 local on Dec 1 → 08:00 local Dec 2 = 11:00 UTC
    expect(quietUntil(new Date("2026-12-02T02:10:30Z"), TZ, night)?.toISOString()).toBe(
      "2026-12-02T11:00:00.000Z",
    );
    // 03:00 local → 08:00 local the same day
    expect(quietUntil(new Date("2026-12-02T06:00:00Z"), TZ, night)?.toISOString()).toBe(
      "2026-12-02T11:00:00.000Z",
    );
  });

  it("handles a window inside one day", () => {
    const lunch = { start: "12:00", end: "13:30" };
    expect(quietUntil(new Date("2026-12-01T15:45:00Z"), TZ, lunch)?.toISOString()).toBe(
      "2026-12-01T16:30:00.000Z",
    );
    expect(quietUntil(new Date("2026-12-01T16:30:00Z"), TZ, lunch)).toBeNull();
  });
});

describe("nextLocalMidnight", () => {
  it("is the start of the next local day", () => {
    expect(nextLocalMidnight(new Date("2026-12-01T15:00:00Z"), TZ).toISOString()).toBe(
      "2026-12-02T03:00:00.000Z",
    );
    expect(nextLocalMidnight(new Date("2026-03-29T12:00:00Z"), "Europe/Madrid").toISOString()).toBe(
      "2026-03-29T22:00:00.000Z",
    );
  });
});
