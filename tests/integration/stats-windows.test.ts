/**
 * Top contacts over the dashboard's preset periods come from the per-contact windows the fold
 * keeps: the same pages as summing the period's contact-days and as the raw events (counts,
 * latest group, group filter, sort, paging), the same rows whether folded, moved to a new day
 * or rebuilt, and a window left on an old day is never read.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, presetStarts, todayIn } from "@/modules/stats/calendar";
import { workspacesWithStaleWindows } from "@/modules/stats/fold.queries";
import { foldAll, foldWorkspace, rebuildStats } from "@/modules/stats/fold.service";
import { contactPeriodPage, contactTotalsPage } from "@/modules/stats/stats.queries";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
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
const HOUR = 3_600_000;

const windowRows = async (workspaceId: string) =>
  (
    await systemDb().execute(
      sql`select since, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at
            from stats_contact_window where workspace_id = ${workspaceId} order by 1, 2`,
    )
  ).rows;

const setWindowDay = (workspaceId: string, shift: string) =>
  systemDb().execute(
    sql`update stats_fold set window_day = window_day + ${shift}::int where workspace_id = ${workspaceId}`,
  );

describe("top contacts over the preset periods", () => {
  let d: StatsDataset;
  let today: string;

  beforeAll(async () => {
    d = await statsTenant(TZ);
    today = todayIn(TZ);
    // Events on both sides of every preset's first day (local days 0..45 back), two per day
    // some days so contacts differ in counts.
    const now = Date.now();
    const back = [0, 0, 1, 3, 5, 6, 6, 7, 8, 12, 20, 28, 29, 29, 30, 31, 33, 40, 45];
    await writeEvents(
      d,
      back.map((days, i) => new Date(now - days * 24 * HOUR - (i % 3) * HOUR)),
    );
    // The second campaign sent to the Sur contacts as Norte ones: their latest group depends
    // on which message of the period came last.
    await systemDb().execute(sql`
      update campaign_recipient set group_id = ${d.groupIds[1]}
       where workspace_id = ${d.workspaceId} and campaign_id = ${d.campaignIds[1]} and group_id = ${d.groupIds[0]}`);
    await foldWorkspace({ workspaceId: d.workspaceId });
    // Then new events as the send path writes them (now), taken by an incremental fold.
    await writeEvents(d, [new Date(), new Date(), new Date()]);
    expect((await foldWorkspace({ workspaceId: d.workspaceId })).rebuilt).toBe(false);
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("gives the pages of the period's contact-days and of the raw events", async () => {
    const starts = presetStarts(today);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    for (const from of starts) {
      const raw = await rawPerContact(d, TZ, { from, to: today });
      expect(raw.length, from).toBeGreaterThan(0);
      for (const groupId of [undefined, ...d.groupIds])
        for (const sort of SORTS)
          for (const offset of [0, 2]) {
            const page = { sort, limit: 3, offset, groupId };
            const viaWindow = await withTenant({ workspaceId: d.workspaceId }, (tx) =>
              contactTotalsPage(tx, d.workspaceId, { ...page, since: from }),
            );
            const viaDays = await withTenant({ workspaceId: d.workspaceId }, (tx) =>
              contactPeriodPage(tx, d.workspaceId, { ...page, from, to: today }),
            );
            expect(viaWindow, `${from} ${groupId} ${sort} ${offset}`).toEqual(viaDays);
            const expected = raw.filter((r) => !groupId || r.group_id === groupId);
            expect(viaWindow.total).toBe(expected.length);
          }
      // Every contact's numbers and group, through the procedure the dashboard calls.
      const all = await createCaller(contextFor(d.user, d.workspaceId)).stats.byContact({
        from,
        to: today,
        limit: 100,
      });
      expect(all.rows).toHaveLength(raw.length);
      for (const r of raw) {
        const row = all.rows.find((x) => x.contactId === r.contact_id)!;
        expect([row.sent, row.failed, row.groupId, row.lastAt.getTime()]).toEqual([
          r.sent,
          r.failed,
          r.group_id,
          new Date(r.last_at).getTime(),
        ]);
      }
    }
  });

  it("moves the windows to a new day and rebuilds them to the same rows", async () => {
    const folded = await windowRows(d.workspaceId);
    expect(folded.length).toBeGreaterThan(0);
    // As if the last fold had run yesterday: the next pass takes the workspace even without
    // new events and recomputes its windows from the contact-days.
    await setWindowDay(d.workspaceId, "-1");
    expect(await workspacesWithStaleWindows()).toContain(d.workspaceId);
    await foldAll({ everyWorkspace: false });
    expect(await workspacesWithStaleWindows()).not.toContain(d.workspaceId);
    expect(await windowRows(d.workspaceId)).toEqual(folded);
    await rebuildStats({ workspaceId: d.workspaceId });
    expect(await windowRows(d.workspaceId)).toEqual(folded);
  });

  it("reads the contact-days while the windows end on another day", async () => {
    const caller = createCaller(contextFor(d.user, d.workspaceId));
    // Eight days to today: the "last 7 days" of yesterday's windows start that day too.
    const from = addDays(today, -7);
    const before = await caller.stats.byContact({ from, to: today, limit: 100, sort: "sent" });
    // Windows a day behind end yesterday: the procedure must not read them for a period to today.
    await setWindowDay(d.workspaceId, "-1");
    await systemDb().execute(
      sql`update stats_contact_window set sent = sent + 100 where workspace_id = ${d.workspaceId}`,
    );
    expect(await caller.stats.byContact({ from, to: today, limit: 100, sort: "sent" })).toEqual(
      before,
    );
    await rebuildStats({ workspaceId: d.workspaceId });
    expect(await caller.stats.byContact({ from, to: today, limit: 100, sort: "sent" })).toEqual(
      before,
    );
  });
});
