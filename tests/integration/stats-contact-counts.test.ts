/**
 * `stats_contact_count`: the top-contacts table's totals are kept per scope (all time, each
 * preset window, each kept custom period) and group by the statements that write the
 * per-contact tables. After each kind of write — a fold, a contact moving to another group, a
 * period kept, the windows' daily roll, periods dropped, a rebuild — the counts equal a direct
 * count of those tables, and the procedure's totals equal the raw events' contacts.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns } from "@/modules/campaigns/campaigns.table";
import { addDays, presetStarts, todayIn } from "@/modules/stats/calendar";
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
const DAY = 86_400_000;

type Count = { scope: string; group_id: string; contacts: number };

/** The kept counts (zero rows left by moves are no contacts). */
async function kept(workspaceId: string): Promise<Count[]> {
  const { rows } = await systemDb().execute<Count>(sql`
    select scope, group_id, contacts from stats_contact_count
     where workspace_id = ${workspaceId} and contacts <> 0 order by 1, 2`);
  return rows;
}

/** The same counts, counted from the per-contact tables themselves. */
async function counted(workspaceId: string): Promise<Count[]> {
  const { rows } = await systemDb().execute<Count>(sql`
    select * from (
      select 'all' as scope, group_id, count(*)::int as contacts from stats_contact
       where workspace_id = ${workspaceId} group by 2
      union all
      select 'since:' || to_char(since, 'YYYY-MM-DD'), group_id, count(*)::int from stats_contact_window
       where workspace_id = ${workspaceId} group by since, group_id
      union all
      select 'range:' || to_char(day_from, 'YYYY-MM-DD') || ':' || to_char(day_to, 'YYYY-MM-DD'), group_id, count(*)::int
        from stats_contact_range where workspace_id = ${workspaceId} group by day_from, day_to, group_id
    ) c order by 1, 2`);
  return rows;
}

describe("contact counts per scope and group", () => {
  let d: StatsDataset;
  let today: string;
  let period: { from: string; to: string };

  const caller = () => createCaller(contextFor(d.user, d.workspaceId));

  /** Each group's total (and the whole) from the procedure equals the raw events' contacts. */
  async function expectTotalsMatchRaw(range: { from: string; to: string }) {
    const raw = await rawPerContact(d, TZ, range);
    expect((await caller().stats.byContact(range)).total).toBe(raw.length);
    for (const groupId of d.groupIds)
      expect((await caller().stats.byContact({ ...range, groupId })).total, groupId).toBe(
        raw.filter((r) => r.group_id === groupId).length,
      );
  }

  beforeAll(async () => {
    d = await statsTenant(TZ);
    today = todayIn(TZ);
    // A custom period (no preset): from 15 to 2 days back.
    const back = [15, 16, 17].find((k) => !presetStarts(today).includes(addDays(today, -k)))!;
    period = { from: addDays(today, -back), to: addDays(today, -2) };
    const now = Date.now();
    await writeEvents(
      d,
      [0, 1, 2, 3, 5, 8, 12, 20, 31, 40].map((days, i) => new Date(now - days * DAY - i * 60_000)),
    );
    await foldWorkspace({ workspaceId: d.workspaceId });
  });

  afterAll(async () => {
    await rangeFillsSettled();
    await closeDatabase();
  });

  it("counts all time and the preset windows per group as the fold writes them", async () => {
    const counts = await kept(d.workspaceId);
    expect(counts).toEqual(await counted(d.workspaceId));
    expect(counts.some((c) => c.scope === "all")).toBe(true);
    expect(counts.some((c) => c.scope.startsWith("since:"))).toBe(true);
    await expectTotalsMatchRaw({ from: addDays(today, -29), to: today });
    expect((await caller().stats.byContact({})).total).toBe(d.contactIds.length);
  });

  it("counts a kept period, the same before and after it is kept", async () => {
    const first = await caller().stats.byContact(period);
    await rangeFillsSettled();
    const scope = `range:${period.from}:${period.to}`;
    const counts = await kept(d.workspaceId);
    expect(counts.filter((c) => c.scope === scope).length).toBeGreaterThan(0);
    expect(counts).toEqual(await counted(d.workspaceId));
    expect((await caller().stats.byContact(period)).total).toBe(first.total);
    await expectTotalsMatchRaw(period);
  });

  it("moves a contact's count to the group of its latest message", async () => {
    // The contact of the first recipient gets a message now through the other group.
    const { rows } = await systemDb().execute<{ contact_id: string; group_id: string }>(sql`
      select contact_id, group_id from campaign_recipient
       where workspace_id = ${d.workspaceId} order by campaign_id, phone limit 1`);
    const { contact_id: contactId, group_id: from } = rows[0]!;
    const to = d.groupIds.find((g) => g !== from)!;
    const [campaign] = await systemDb()
      .insert(campaigns)
      .values({
        workspaceId: d.workspaceId,
        name: "Diciembre",
        status: "completed",
        audience: { groupIds: [], excludeGroupIds: [], sources: [] },
        templates: [{ kind: "text", body: "Hola" }],
        botIds: d.botIds,
      })
      .returning({ id: campaigns.id });
    await systemDb().execute(sql`
      with r as (
        insert into campaign_recipient (workspace_id, campaign_id, id, contact_id, phone, group_id, bot_id, status)
        select workspace_id, ${campaign!.id}, gen_random_uuid(), id, phone, ${to}, ${d.botIds[0]}, 'sent'
          from contact where workspace_id = ${d.workspaceId} and id = ${contactId}
        returning workspace_id, campaign_id, id, bot_id
      )
      insert into message_event (workspace_id, occurred_at, campaign_id, recipient_id, bot_id, type)
      select workspace_id, now(), campaign_id, id, bot_id, 'sent' from r`);
    const before = await kept(d.workspaceId);
    await foldWorkspace({ workspaceId: d.workspaceId });
    const after = await kept(d.workspaceId);
    expect(after).toEqual(await counted(d.workspaceId));
    const all = (counts: Count[], g: string) =>
      counts.find((c) => c.scope === "all" && c.group_id === g)?.contacts ?? 0;
    expect(all(after, from)).toBe(all(before, from) - 1);
    expect(all(after, to)).toBe(all(before, to) + 1);
    await expectTotalsMatchRaw({ from: addDays(today, -6), to: today });
  });

  it("counts the windows again when the day changes, and drops a dropped period's counts", async () => {
    // As if the windows ended yesterday: the next fold rolls them to today.
    await systemDb().execute(
      sql`update stats_fold set window_day = window_day - 1 where workspace_id = ${d.workspaceId}`,
    );
    await systemDb().execute(
      sql`update stats_range set used_at = now() - interval '25 hours' where workspace_id = ${d.workspaceId}`,
    );
    await foldWorkspace({ workspaceId: d.workspaceId });
    const counts = await kept(d.workspaceId);
    expect(counts).toEqual(await counted(d.workspaceId));
    expect(counts.some((c) => c.scope.startsWith("range:"))).toBe(false);
    await expectTotalsMatchRaw({ from: addDays(today, -6), to: today });
  });

  it("gives the same counts after a rebuild", async () => {
    const before = await kept(d.workspaceId);
    await rebuildStats({ workspaceId: d.workspaceId });
    expect(await kept(d.workspaceId)).toEqual(before);
    expect(before).toEqual(await counted(d.workspaceId));
  });
});
