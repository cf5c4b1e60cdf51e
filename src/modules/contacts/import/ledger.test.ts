import { describe, expect, it } from "vitest";
import type { StageRow } from "./batch-writer";
import { EMPTY_COUNTS } from "../import-counts";
import { addCounts, partOf, splitParts } from "./ledger";

const row = (phone: string): StageRow => ({
  phone,
  nombre: null,
  sustantivo: null,
  groups: [],
  attributes: {},
  repeat: false,
  rowNumber: 1,
  raw: () => phone,
});

describe("import ledger helpers", () => {
  it("splits a batch into disjoint parts by phone, the same way every time", () => {
    const rows = Array.from({ length: 1000 }, (_, i) =>
      row(`+595981${String(i).padStart(6, "0")}`),
    );
    const parts = splitParts(rows, 2);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.length + parts[1]!.length).toBe(1000);
    // Roughly even, so both writers have work.
    expect(parts[0]!.length).toBeGreaterThan(350);
    expect(parts[1]!.length).toBeGreaterThan(350);
    for (const [p, part] of parts.entries()) {
      for (const r of part) expect(partOf(r.phone, 2)).toBe(p);
    }
    expect(splitParts(rows, 2)).toEqual(parts);
    expect(splitParts(rows, 1)).toEqual([rows]);
  });

  it("adds counts, keeping the furthest byte position rather than a sum", () => {
    const total = { ...EMPTY_COUNTS };
    addCounts(total, { processed: 100, inserted: 60, duplicates: 3, bytesRead: 5000 });
    addCounts(total, { inserted: 30, updated: 7, changes: 4, changesListed: 4 });
    addCounts(total, { processed: 50, invalid: 2, unchanged: 1, bytesRead: 7000, changes: 2 });
    expect(total).toEqual({
      total: 150,
      processed: 150,
      inserted: 90,
      updated: 7,
      unchanged: 1,
      duplicates: 3,
      invalid: 2,
      bytesRead: 7000,
      changes: 6,
      changesListed: 4,
    });
  });
});
