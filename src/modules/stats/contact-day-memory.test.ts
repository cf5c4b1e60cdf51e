import { describe, expect, it } from "vitest";
import { ContactDayMemory, dayNumber, topOf, type PackedDay } from "./contact-day-memory";

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s % n;
  };
}

const CONTACTS = Array.from(
  { length: 40 },
  (_, i) => `00000000-0000-4000-8000-${String(i * 7919).padStart(12, "0")}`,
);
const GROUPS = ["g-a", "g-b", "g-c"];

type Row = {
  day: number;
  contact: string;
  sent: number;
  failed: number;
  group: string;
  at: number;
};

function randomDays(seed: number, days: number): Row[] {
  const r = random(seed);
  const rows: Row[] = [];
  for (let day = 0; day < days; day++) {
    const used = new Set<string>();
    for (let k = r(12); k > 0; k--) {
      const contact = CONTACTS[r(CONTACTS.length)]!;
      if (used.has(contact)) continue;
      used.add(contact);
      // Few distinct values, so ranks tie and the contact id decides.
      rows.push({
        day,
        contact,
        sent: r(4),
        failed: r(3),
        group: GROUPS[r(3)]!,
        at: day * 86_400e6 + r(5),
      });
    }
  }
  return rows;
}

const pack = (rows: Row[], day: number): PackedDay => ({
  day,
  rows: rows
    .filter((x) => x.day === day)
    .map((x) => [x.contact, x.sent, x.failed, x.group, x.at].join(","))
    .join(";"),
});

/** The ranking as `contactPeriodPage` states it, computed the plain way. */
function expected(
  rows: Row[],
  q: { from: number; to: number; sort: "sent" | "failed" | "lastAt"; groupId?: string },
) {
  const per = new Map<string, { key: number; lastDay: number; group: string }>();
  for (const x of rows.filter((x) => x.day >= q.from && x.day <= q.to)) {
    const v = q.sort === "sent" ? x.sent : q.sort === "failed" ? x.failed : x.at;
    const p = per.get(x.contact);
    if (!p) per.set(x.contact, { key: v, lastDay: x.day, group: x.group });
    else {
      p.key = q.sort === "lastAt" ? Math.max(p.key, v) : p.key + v;
      if (x.day > p.lastDay) Object.assign(p, { lastDay: x.day, group: x.group });
    }
  }
  return [...per]
    .filter(([, p]) => q.groupId === undefined || p.group === q.groupId)
    .sort(([a, p], [b, o]) => o.key - p.key || (a < b ? -1 : 1))
    .map(([id]) => id);
}

describe("contact-days held in memory", () => {
  it("counts local days from 2000-01-01 as Postgres's date subtraction does", () => {
    expect(dayNumber("2000-01-01")).toBe(0);
    expect(dayNumber("2000-03-01")).toBe(60);
    expect(dayNumber("2026-12-03")).toBe(9833);
  });

  it("ranks any period, sort, group and page as the plain computation does", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rows = randomDays(seed, 30);
      const memory = new ContactDayMemory("1", 24);
      for (let day = 0; day <= 24; day++) memory.addDay(pack(rows, day));
      const live = [25, 26, 27, 28, 29].map((day) => pack(rows, day));
      const r = random(seed + 100);
      for (let i = 0; i < 200; i++) {
        const from = r(30);
        const to = from + r(30 - from);
        const sort = (["sent", "failed", "lastAt"] as const)[r(3)]!;
        const groupId = r(2) ? undefined : [...GROUPS, "unknown"][r(4)];
        const limit = 1 + r(6);
        const offset = r(8);
        const all = expected(rows, { from, to, sort, groupId });
        const got = memory.rank({ from, to, sort, groupId, live, limit, offset });
        expect(got, JSON.stringify({ seed, from, to, sort, groupId, limit, offset })).toEqual({
          ids: all.slice(offset, offset + limit),
          total: all.length,
        });
      }
    }
  });

  it("reads a day added past `closedTo` only once `closedTo` reaches it; until then from the live days", () => {
    const rows = randomDays(9, 10).filter((x) => x.day >= 5);
    const memory = new ContactDayMemory("1", 5);
    for (let day = 0; day <= 5; day++) memory.addDay(pack(rows, day));
    memory.addDay(pack(rows, 6)); // being filled: not counted yet
    const q = { from: 0, to: 9, sort: "sent" as const, limit: 100, offset: 0 };
    const live = [6, 7, 8, 9].map((day) => pack(rows, day));
    const want = { ids: expected(rows, q), total: expected(rows, q).length };
    expect(memory.rank({ ...q, live })).toEqual(want);
    const without6 = expected(
      rows.filter((x) => x.day !== 6),
      q,
    );
    expect(memory.rank({ ...q, live: live.slice(1) })).toEqual({
      ids: without6,
      total: without6.length,
    });
    memory.closedTo = 6;
    expect(memory.rank({ ...q, live: live.slice(1) })).toEqual(want);
    // A live copy of a held day is not counted twice.
    expect(memory.rank({ ...q, live })).toEqual(want);
    expect(memory.size).toBe(rows.filter((x) => x.day <= 6).length);
  });

  it("replaces a day added again and keeps its size", () => {
    const memory = new ContactDayMemory("1", 0);
    memory.addDay({ day: 0, rows: `${CONTACTS[0]},1,0,g-a,5;${CONTACTS[1]},2,0,g-a,6` });
    memory.addDay({ day: 0, rows: `${CONTACTS[1]},3,0,g-b,7` });
    expect(memory.size).toBe(1);
    expect(memory.rank({ from: 0, to: 0, sort: "sent", live: [], limit: 5, offset: 0 })).toEqual({
      ids: [CONTACTS[1]],
      total: 1,
    });
    expect(
      memory.rank({
        from: 0,
        to: 0,
        sort: "sent",
        live: [{ day: 1, rows: "" }],
        limit: 5,
        offset: 0,
      }).total,
    ).toBe(1);
  });

  it("takes the first k of any order with a bounded heap", () => {
    const r = random(42);
    for (let i = 0; i < 100; i++) {
      const items = Array.from({ length: r(60) }, () => r(20));
      const k = r(70);
      const before = (a: number, b: number) => a < b;
      expect(topOf(items, k, before)).toEqual([...items].sort((a, b) => a - b).slice(0, k));
    }
  });
});
