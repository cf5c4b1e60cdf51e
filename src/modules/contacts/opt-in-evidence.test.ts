import { describe, expect, it } from "vitest";
import { optInEvidence } from "./contacts.schema";

describe("opt-in evidence date", () => {
  it("takes a Date or an ISO 8601 date-time, or nothing", () => {
    const at = new Date("2026-01-02T03:04:05Z");
    expect(optInEvidence.parse({ source: "web", at }).at).toEqual(at);
    expect(optInEvidence.parse({ source: "web", at: "2026-01-02T03:04:05Z" }).at).toEqual(at);
    expect(optInEvidence.parse({ source: "web", at: "2026-01-02T00:04:05-03:00" }).at).toEqual(at);
    expect(optInEvidence.parse({ source: "web" }).at).toBeUndefined();
  });

  it("refuses what coercion used to turn into 1970 (null, numbers, booleans) and loose text", () => {
    for (const at of [null, 0, 1, true, false, "", "yesterday", "2026-01-02"]) {
      expect(optInEvidence.safeParse({ source: "web", at }).success, String(at)).toBe(false);
    }
  });
});
