/**
 * Top contacts of a custom period ranked from the contact-days a process holds in memory:
 * the same pages and counts as Postgres sums them, for periods over held days, newer days and
 * both; new events today show without a refill; a change to a held day (or a rebuild) moves
 * the workspace's generation and the held copy is dropped and filled again.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayIn } from "@/modules/stats/calendar";
import {
  contactDayFillsSettled,
  rankHeldContactDays,
} from "@/modules/stats/contact-day-memory.service";
import { rangeFillsSettled } from "@/modules/stats/contact-ranges.service";
import { foldWorkspace, rebuildStats } from "@/modules/stats/fold.service";
import { contactPeriodPage, contactPeriodRows } from "@/modules/stats/stats.queries";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { statsTenant, writeEvents, type StatsDataset } from "../helpers/stats-dataset";

const TZ = "America/Asuncion";
const DAY = 86_400_000;
type Query = {
  from: string;
  to: string;
  sort: "sent" | "failed" | "lastAt";
  groupId?: string;
  limit: number;
  offset: number;
};

function viaMemory(d: StatsDataset, q: Query) {
  return withTenant({ workspaceId: d.workspaceId }, async (tx) => {
    const ranked = await rankHeldContactDays(tx, d.workspaceId, q);
    if (!ranked) return null;
    const rows = await contactPeriodRows(tx, d.workspaceId, { ...q, contactIds: ranked.ids });
    return { rows, total: ranked.total };
  });
}

function viaPostgres(d: StatsDataset, q: Query) {
  return withTenant({ workspaceId: d.workspaceId }, (tx) =>
    contactPeriodPage(tx, d.workspaceId, q),
  );
}

/** The memory's answer once it holds the workspace's days (the first ask starts the fill). */
async function held(d: StatsDataset, q: Query) {
  const first = await viaMemory(d, q);
  if (first) return first;
  await contactDayFillsSettled();
  const answer = await viaMemory(d, q);
  expect(answer, "held after the fill").not.toBeNull();
  return answer!;
}

async function gen(d: StatsDataset) {
  const { rows } = await systemDb().execute<{ gen: string }>(
    sql`select closed_gen::text as gen from stats_fold where workspace_id = ${d.workspaceId}`,
  );
  return rows[0]!.gen;
}

describe("top contacts ranked from contact-days held in memory", () => {
  let d: StatsDataset;
  let other: StatsDataset;
  let today: string;

  beforeAll(async () => {
    [d, other] = await Promise.all([statsTenant(TZ), statsTenant(TZ)]);
    today = todayIn(TZ);
    const now = Date.now();
    // Days back with events: today and the two days before it are read per view, the older
    // ones are held; several events a day so counts differ and tie.
    const back = [0, 0, 1, 2, 2, 3, 4, 4, 4, 6, 9, 9, 13, 17, 17, 17, 22, 30, 31, 38];
    await writeEvents(
      d,
      back.map((days, i) => new Date(now - days * DAY - (i % 4) * 3_600_000)),
    );
    await writeEvents(other, [new Date(now - 5 * DAY), new Date(now - 6 * DAY)]);
    await foldWorkspace({ workspaceId: d.workspaceId });
    await foldWorkspace({ workspaceId: other.workspaceId });
  });

  afterAll(async () => {
    await contactDayFillsSettled();
    await rangeFillsSettled();
    await closeDatabase();
  });

  it("gives Postgres's pages and counts for every period, sort, group and page", async () => {
    const periods = [
      [-30, -10],
      [-20, 0],
      [-2, 0],
      [-3, -3],
      [-40, -25],
      [-60, -45],
    ].map(([a, b]) => ({ from: addDays(today, a!), to: addDays(today, b!) }));
    let compared = 0;
    for (const period of periods)
      for (const sort of ["sent", "failed", "lastAt"] as const)
        for (const groupId of [undefined, ...d.groupIds])
          for (const [limit, offset] of [
            [2, 0],
            [2, 2],
            [4, 3],
            [100, 0],
          ] as const) {
            const q = { ...period, sort, groupId, limit, offset };
            const expected = await viaPostgres(d, q);
            expect(await held(d, q), JSON.stringify(q)).toEqual(expected);
            compared += expected.rows.length;
          }
    expect(compared).toBeGreaterThan(100);
  });

  it("shows today's new events on the next view without moving the generation", async () => {
    const before = await gen(d);
    const q = {
      from: addDays(today, -20),
      to: today,
      sort: "sent" as const,
      limit: 100,
      offset: 0,
    };
    const earlier = await held(d, q);
    await writeEvents(d, [new Date(), new Date(), new Date()]);
    await foldWorkspace({ workspaceId: d.workspaceId });
    expect(await gen(d)).toBe(before);
    const now = await viaMemory(d, q);
    expect(now).toEqual(await viaPostgres(d, q));
    expect(now).not.toEqual(earlier);
  });

  it("drops the held days when an older day changes, and holds them again", async () => {
    const before = await gen(d);
    const q = {
      from: addDays(today, -30),
      to: addDays(today, -5),
      sort: "failed" as const,
      limit: 100,
      offset: 0,
    };
    const earlier = await held(d, q);
    // Events of nine days back that the fold still takes (as after days without a fold: it
    // looks back to its last run).
    await systemDb().execute(
      sql`update stats_fold set folded_at = now() - interval '10 days' where workspace_id = ${d.workspaceId}`,
    );
    await writeEvents(d, [new Date(Date.now() - 9 * DAY), new Date(Date.now() - 9 * DAY)]);
    await foldWorkspace({ workspaceId: d.workspaceId });
    expect(Number(await gen(d))).toBe(Number(before) + 1);
    expect(await viaMemory(d, q), "not answered from the old copy").toBeNull();
    const again = await held(d, q);
    expect(again).toEqual(await viaPostgres(d, q));
    expect(again).not.toEqual(earlier);
  });

  it("drops the held days on a rebuild", async () => {
    const q = {
      from: addDays(today, -40),
      to: today,
      sort: "lastAt" as const,
      limit: 3,
      offset: 0,
    };
    await held(d, q);
    const before = await gen(d);
    await rebuildStats({ workspaceId: d.workspaceId });
    expect(Number(await gen(d))).toBeGreaterThan(Number(before));
    expect(await viaMemory(d, q)).toBeNull();
    expect(await held(d, q)).toEqual(await viaPostgres(d, q));
  });

  it("holds each workspace's own days", async () => {
    const q = {
      from: addDays(today, -10),
      to: addDays(today, -4),
      sort: "sent" as const,
      limit: 100,
      offset: 0,
    };
    const mine = await held(other, q);
    expect(mine).toEqual(await viaPostgres(other, q));
    expect(mine.total).toBeGreaterThan(0);
    const ids = new Set(other.contactIds);
    expect(mine.rows.every((r) => ids.has(r.contactId))).toBe(true);
    expect(await held(d, q)).toEqual(await viaPostgres(d, q));
  });
});
