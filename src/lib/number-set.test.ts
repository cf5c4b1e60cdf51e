import { describe, expect, it } from "vitest";
import { NumberSet } from "./number-set";

describe("NumberSet", () => {
  it("adds, reports repeats and answers membership", () => {
    const set = new NumberSet();
    expect(set.add(595981123456)).toBe(true);
    expect(set.add(595981123456)).toBe(false);
    expect(set.has(595981123456)).toBe(true);
    expect(set.has(595981123457)).toBe(false);
    expect(set.size).toBe(1);
  });

  it("keeps every value through many resizes, like a Set<number>", () => {
    const set = new NumberSet();
    const reference = new Set<number>();
    // Phones with long shared prefixes, plus values above 2^32 and near 2^53.
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) values.push(595981000000 + i * 7, 5219981000000 + i);
    values.push(Number.MAX_SAFE_INTEGER, 1, 2 ** 32, 2 ** 32 + 1);
    values.push(...values.slice(0, 500)); // repeats
    for (const v of values) {
      const isNew = !reference.has(v);
      reference.add(v);
      expect(set.add(v)).toBe(isNew);
    }
    expect(set.size).toBe(reference.size);
    for (const v of values) expect(set.has(v)).toBe(true);
    for (let i = 0; i < 1000; i++) expect(set.has(595981000001 + i * 7)).toBe(false);
  });

  it("refuses what it cannot hold", () => {
    const set = new NumberSet();
    expect(() => set.add(0)).toThrow(RangeError);
    expect(() => set.add(-5)).toThrow(RangeError);
    expect(() => set.add(1.5)).toThrow(RangeError);
    expect(() => set.add(2 ** 53)).toThrow(RangeError);
  });
});
