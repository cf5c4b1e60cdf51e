import { describe, expect, it } from "vitest";
import { addDays, eachHour, eachMonth, lastDayOfMonth, monthStart, todayIn } from "./calendar";

describe("calendar of local days", () => {
  it("steps over month and year ends", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(monthStart("2025-01-15", -1)).toBe("2024-12-01");
    expect(lastDayOfMonth("2024-02-10")).toBe("2024-02-29");
    expect(eachMonth("2024-11-30", "2025-02-01")).toEqual([
      "2024-11",
      "2024-12",
      "2025-01",
      "2025-02",
    ]);
    expect(eachHour("2024-10-31", "2024-11-01")).toHaveLength(48);
  });

  it("tells today in the workspace's zone, not the server's", () => {
    const instant = new Date("2024-11-01T02:30:00Z");
    expect(todayIn("America/Asuncion", instant)).toBe("2024-10-31");
    expect(todayIn("UTC", instant)).toBe("2024-11-01");
    expect(todayIn("Asia/Kolkata", new Date("2024-10-31T18:30:00Z"))).toBe("2024-11-01");
  });
});
