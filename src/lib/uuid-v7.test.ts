import { describe, expect, it } from "vitest";
import { uuidv7 } from "./uuid-v7";

describe("uuidv7", () => {
  it("is a version-7, RFC 4122-variant UUID", () => {
    expect(uuidv7()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("sorts in creation order (so a batch lands on neighbouring index pages)", () => {
    const ids = Array.from({ length: 20000 }, () => uuidv7());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("starts with the current time in milliseconds", () => {
    const before = Date.now();
    const ms = parseInt(uuidv7().replace(/-/g, "").slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 50);
  });
});
