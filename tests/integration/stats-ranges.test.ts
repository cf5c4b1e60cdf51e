/**
 * Top contacts over custom periods: the first view sums the period's contact-days and keeps
 * the period per contact; later views read the kept rows and give the same pages; the fold
 * adds new events to a kept period (only those inside it), a rebuild drops every kept period,
 * and periods past their use are dropped.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, presetStarts, todayIn } from "@/modules/stats/calendar";
import { KEPT_RANGES } from "@/modules/stats/contact-ranges.queries";
import { rangeFillsSettled } from "@/modules/stats/contact-ranges.service";
import { foldWorkspace, rebuildStats } from "@/modules/stats/fold.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { contextFor } from "../helpers/fixtures";
import {
  rawPerContact,
  statsTenant,
  writeEvents,
  type StatsDataset,
} from "../helpers/stats-dataset";

const TZ = "America/Asuncion";
const SORTS = ["sent", "failed", "lastAt"] as const;
const DAY = 86_400_000;

/** The raw per-contact totals of a period, shaped as `keptRows` gives them. */
async function raw(d: StatsDataset, from: string, to: string) {
  return (await rawPerContact(d, TZ, { from, to })).map(
    ({ contact_id, group_id, sent, failed, delivered, read }) => ({
      contact_id,
      group_id,
      sent,
      failed,
      delivered,
      read,
    }),
  );
}

/** The kept rows of one period, per contact, as the raw rows are shaped. */
async function keptRows(workspaceId: string, from: string, to: string) {
  const { rows } = await systemDb().execute<Awaited<ReturnType<typeof raw>>[number]>(
    sql`select contact_id, group_id, sent::int, failed::int, delivered::int, read::int
          from stats_contact_range
         where workspace_id = ${workspaceId} and day_from = ${from}::date and day_to = ${to}::date
         order by 1`,
  );
  return rows;
}

async function keptPeriods(workspaceId: string) {
  const { rows } = await systemDb().execute<{ day_from: string; day_to: string }>(
    sql`select day_from::text, day_to::text from stats_range where workspace_id = ${workspaceId} order by 1, 2`,
  );
  return rows.map((r) => `${r.day_from}..${r.day_to}`);
}

describe("top contacts over custom periods", () => {
  let d: StatsDataset;
  let other: StatsDataset;
  let today: string;
  let from: string;
  let to: string;

  beforeAll(async () => {
    [d, other] = await Promise.all([statsTenant(TZ), statsTenant(TZ)]);
    today = todayIn(TZ);
    // A period that is no preset: from 20 to 3 days back. Events inside it, on both of its
    // edges' outer sides, and today.
    from = addDays(today, -20);
    to = addDays(today, -3);
    const now = Date.now();
    const back = [0, 1, 2, 3, 3, 5, 8, 8, 12, 19, 20, 21, 25];
    for (const t of [d, other])
      await writeEvents(
        t,
        back.map((days, i) => new Date(now - days * DAY - (i % 3) * 3_600_000)),
      );
    await foldWorkspace({ workspaceId: d.workspaceId });
    await foldWorkspace({ workspaceId: other.workspaceId });
  });

  afterAll(async () => {
    await rangeFillsSettled();
    await closeDatabase();
  });

  it("keeps a period on its first view and answers its later views from it, page for page", async () => {
    const caller = createCaller(contextFor(d.user, d.workspaceId));
    const expected = await raw(d, from, to);
    expect(expected.length).toBeGreaterThan(0);
    expect(await keptPeriods(d.workspaceId)).toEqual([]);
    const pages = [];
    for (const groupId of [undefined, ...d.groupIds])
      for (const sort of SORTS)
        for (const page of [1, 2]) pages.push({ from, to, limit: 2, page, sort, groupId });
    // First views: summed from the contact-days (the period is kept beside them).
    const summed = [];
    for (const input of pages) summed.push(await caller.stats.byContact(input));
    await rangeFillsSettled();
    expect(await keptPeriods(d.workspaceId)).toEqual([`${from}..${to}`]);
    expect(await keptRows(d.workspaceId, from, to)).toEqual(expected);
    // Later views read the kept rows: the same pages and totals.
    for (const [i, input] of pages.entries())
      expect(await caller.stats.byContact(input), JSON.stringify(input)).toEqual(summed[i]);
    const all = await caller.stats.byContact({ from, to, limit: 100 });
    expect(all.total).toBe(expected.length);
    expect(all.rows.map((r) => [r.contactId, r.sent, r.failed]).sort()).toEqual(
      expected.map((r) => [r.contact_id, r.sent, r.failed]).sort(),
    );
    // Another workspace's view of the same dates keeps its own period, with its own numbers.
    await createCaller(contextFor(other.user, other.workspaceId)).stats.byContact({ from, to });
    await rangeFillsSettled();
    expect(await keptRows(other.workspaceId, from, to)).toEqual(await raw(other, from, to));
    expect(await keptRows(d.workspaceId, from, to)).toEqual(expected);
  });

  it("folds new events into the kept periods they fall in, and only those", async () => {
    // A period to today that is no preset: the send path's new events fall in it.
    const back = [11, 12, 13, 14].find((k) => !presetStarts(today).includes(addDays(today, -k)))!;
    const current = { from: addDays(today, -back), to: today };
    const caller = createCaller(contextFor(d.user, d.workspaceId));
    await caller.stats.byContact(current);
    await rangeFillsSettled();
    const before = await keptRows(d.workspaceId, current.from, current.to);
    const past = await keptRows(d.workspaceId, from, to);
    expect(before).toEqual(await raw(d, current.from, current.to));
    await writeEvents(d, [new Date(), new Date()]);
    expect((await foldWorkspace({ workspaceId: d.workspaceId })).rebuilt).toBe(false);
    const after = await keptRows(d.workspaceId, current.from, current.to);
    expect(after).toEqual(await raw(d, current.from, current.to));
    expect(after).not.toEqual(before);
    // The period that ended days ago is unchanged.
    expect(await keptRows(d.workspaceId, from, to)).toEqual(past);
    const viaProcedure = await caller.stats.byContact({ ...current, limit: 100 });
    expect(viaProcedure.total).toBe(after.length);
    expect(viaProcedure.rows.map((r) => [r.contactId, r.sent]).sort()).toEqual(
      after.map((r) => [r.contact_id, r.sent]).sort(),
    );
  });

  it("drops every kept period on a rebuild, and keeps it again on the next view", async () => {
    await rebuildStats({ workspaceId: d.workspaceId });
    expect(await keptPeriods(d.workspaceId)).toEqual([]);
    await createCaller(contextFor(d.user, d.workspaceId)).stats.byContact({ from, to });
    await rangeFillsSettled();
    expect(await keptRows(d.workspaceId, from, to)).toEqual(await raw(d, from, to));
  });

  it("drops periods unused for a day and beyond the most recently viewed", async () => {
    const caller = createCaller(contextFor(d.user, d.workspaceId));
    // One period more than are kept, each a day shorter, viewed oldest first.
    const periods = Array.from({ length: KEPT_RANGES + 1 }, (_, i) => ({
      from: addDays(today, -30),
      to: addDays(today, -2 - i),
    }));
    for (const p of periods) {
      await caller.stats.byContact(p);
      await rangeFillsSettled();
      await systemDb().execute(
        sql`update stats_range set used_at = used_at - interval '1 minute' where workspace_id = ${d.workspaceId}`,
      );
    }
    const kept = await keptPeriods(d.workspaceId);
    expect(kept).toHaveLength(KEPT_RANGES);
    // The first viewed of them went, and so did the periods of the earlier tests.
    expect(kept).not.toContain(`${periods[0]!.from}..${periods[0]!.to}`);
    expect(kept).not.toContain(`${from}..${to}`);
    expect(kept).toContain(`${periods[1]!.from}..${periods[1]!.to}`);
    // Unused for over a day: the next fold drops it and its rows.
    await systemDb().execute(
      sql`update stats_range set used_at = now() - interval '25 hours'
           where workspace_id = ${d.workspaceId} and day_to = ${periods[1]!.to}::date`,
    );
    await foldWorkspace({ workspaceId: d.workspaceId });
    expect(await keptPeriods(d.workspaceId)).toHaveLength(KEPT_RANGES - 1);
    expect(await keptRows(d.workspaceId, periods[1]!.from, periods[1]!.to)).toEqual([]);
    // A view marks its period used: it outlives the ones not viewed since.
    await systemDb().execute(
      sql`update stats_range set used_at = now() - interval '2 minutes' where workspace_id = ${d.workspaceId}`,
    );
    await caller.stats.byContact(periods[2]!);
    const { rows } = await systemDb().execute<{ fresh: boolean }>(
      sql`select used_at > now() - interval '1 minute' as fresh from stats_range
           where workspace_id = ${d.workspaceId} and day_to = ${periods[2]!.to}::date`,
    );
    expect(rows[0]?.fresh).toBe(true);
  });
});
