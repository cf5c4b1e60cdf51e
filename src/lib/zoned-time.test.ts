import { describe, expect, it } from "vitest";
import { zonedWallTimeToDate } from "./zoned-time";

describe("zonedWallTimeToDate", () => {
  it("reads the wall clock in the given zone", () => {
    expect(zonedWallTimeToDate("2026-12-24T09:30", "America/Asuncion").toISOString()).toBe(
      "2026-12-24T12:30:00.000Z",
    );
    expect(zonedWallTimeToDate("2026-07-01T09:00", "Europe/Madrid").toISOString()).toBe(
      "2026-07-01T07:00:00.000Z",
    );
    expect(zonedWallTimeToDate("2026-01-15T09:00", "Europe/Madrid").toISOString()).toBe(
      "2026-01-15T08:00:00.000Z",
    );
  });

  it("refuses anything that is not YYYY-MM-DDTHH:MM", () => {
    expect(() => zonedWallTimeToDate("24/12/2026", "UTC")).toThrow(RangeError);
  });
});
