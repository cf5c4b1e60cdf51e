/**
 * Dashboard statistics against the raw events: every procedure's numbers equal a plain
 * GROUP BY over message_event in the workspace's zone (day, month, hour and quarter-hour
 * boundaries included); a rebuild gives identical counters; an event whose transaction
 * commits after a fold is counted once; workspaces never see each other's counts.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldWorkspace, rebuildStats } from "@/modules/stats/fold.service";
import { closeDatabase, ownerPool, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { contextFor } from "../helpers/fixtures";
import { statsTenant, writeEvents, type StatsDataset } from "../helpers/stats-dataset";

const caller = (d: StatsDataset, workspaceId = d.workspaceId) =>
  createCaller(contextFor(d.user, workspaceId));

/** A plain count over the raw events, keyed like the procedures' answers. */
async function rawCounts(d: StatsDataset, key: string, where = sql`true`) {
  const { rows } = await systemDb().execute<{ key: string; type: string; n: number }>(sql`
    select ${sql.raw(key)} as key, e.type, count(*)::int as n
      from message_event e
      join workspace w on w.id = e.workspace_id
      left join campaign_recipient r on r.workspace_id = e.workspace_id and r.campaign_id = e.campaign_id and r.id = e.recipient_id
     where e.workspace_id = ${d.workspaceId} and ${where}
     group by 1, 2`);
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) out.set(r.key, { ...out.get(r.key), [r.type]: r.n });
  return out;
}

async function statsRows(workspaceId: string) {
  const db = systemDb();
  const q = await db.execute(
    sql`select bucket, campaign_id, bot_id, group_id, status, code, count from stats_quarter where workspace_id = ${workspaceId} order by 1, 2, 3, 4, 5, 6`,
  );
  const d = await db.execute(
    sql`select day, campaign_id, bot_id, group_id, status, code, count from stats_day where workspace_id = ${workspaceId} order by 1, 2, 3, 4, 5, 6`,
  );
  const c = await db.execute(
    sql`select contact_id, group_id, sent, failed, delivered, read, last_at from stats_contact where workspace_id = ${workspaceId} order by 1`,
  );
  const cd = await db.execute(
    sql`select day, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at from stats_contact_day where workspace_id = ${workspaceId} order by 1, 2`,
  );
  return { quarters: q.rows, days: d.rows, contacts: c.rows, contactDays: cd.rows };
}

// Asunción is UTC−3: its 1 November 2024 starts at 03:00Z. Kolkata is UTC+5:30: its
// 1 November starts at 18:30Z on 31 October, in the middle of a UTC hour.
const BOUNDARY_INSTANTS = [
  "2024-10-31T02:59:59Z",
  "2024-11-01T02:59:59Z",
  "2024-11-01T03:00:00Z",
  "2024-10-31T18:29:59Z",
  "2024-10-31T18:30:00Z",
  "2024-10-31T17:45:00Z",
  "2024-11-15T12:00:00Z",
  "2024-11-30T23:59:59Z",
].map((t) => new Date(t));
const recent = () => Array.from({ length: 30 }, (_, i) => new Date(Date.now() - i * 3_500_000));

describe("stats rollups", () => {
  let asu: StatsDataset;
  let kol: StatsDataset;

  beforeAll(async () => {
    [asu, kol] = await Promise.all([statsTenant("America/Asuncion"), statsTenant("Asia/Kolkata")]);
    for (const d of [asu, kol]) {
      // History first (the first fold takes everything), then events written now, as the
      // send path writes them, taken by an incremental fold.
      await writeEvents(d, [...BOUNDARY_INSTANTS, ...recent()]);
      await foldWorkspace({ workspaceId: d.workspaceId });
      await writeEvents(d, [new Date(), new Date(), new Date()]);
      expect(await foldWorkspace({ workspaceId: d.workspaceId })).toEqual({
        events: 8,
        tasks: 0,
        rebuilt: false,
      });
    }
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("cuts days and months at the workspace's midnight, not UTC's", async () => {
    const days = await caller(asu).stats.timeline({
      from: "2024-10-30",
      to: "2024-11-01",
      bucket: "day",
    });
    const expected = await rawCounts(
      asu,
      `to_char((e.occurred_at at time zone 'America/Asuncion')::date, 'YYYY-MM-DD')`,
    );
    expect(days.points.map((p) => [p.at, p.sent, p.failed, p.delivered, p.read])).toEqual(
      ["2024-10-30", "2024-10-31", "2024-11-01"].map((at) => {
        const e = expected.get(at) ?? {};
        return [at, e.sent ?? 0, e.failed ?? 0, e.delivered ?? 0, e.read ?? 0];
      }),
    );
    // 02:59:59Z on 1 November is still 31 October in Asunción; 03:00Z is 1 November.
    expect(days.points.find((p) => p.at === "2024-10-31")!.sent).toBe(4);
    expect(days.points.find((p) => p.at === "2024-11-01")!.sent).toBe(1);
    expect(days.points.find((p) => p.at === "2024-10-30")!.sent).toBe(1);

    const months = await caller(asu).stats.timeline({
      from: "2024-10-01",
      to: "2024-11-30",
      bucket: "month",
    });
    expect(months.points.map((p) => [p.at, p.sent])).toEqual([
      ["2024-10", 5],
      ["2024-11", 3],
    ]);
    const kolMonths = await caller(kol).stats.timeline({
      from: "2024-10-01",
      to: "2024-12-31",
      bucket: "month",
    });
    // In Kolkata 18:30Z on 31 October and everything after is November; 23:59:59Z on
    // 30 November is already 1 December.
    expect(kolMonths.points.filter((p) => p.at < "2024-12").map((p) => [p.at, p.sent])).toEqual([
      ["2024-10", 3],
      ["2024-11", 4],
    ]);
  });

  it("regroups quarter hours into local hours of a half-hour zone", async () => {
    const hours = await caller(kol).stats.timeline({
      from: "2024-10-31",
      to: "2024-11-01",
      bucket: "hour",
    });
    const expected = await rawCounts(
      kol,
      `to_char(date_trunc('hour', e.occurred_at at time zone 'Asia/Kolkata'), 'YYYY-MM-DD HH24:00')`,
    );
    expect(hours.points).toHaveLength(48);
    for (const p of hours.points) {
      const e = expected.get(p.at) ?? {};
      expect([p.at, p.sent, p.failed, p.delivered, p.read]).toEqual([
        p.at,
        e.sent ?? 0,
        e.failed ?? 0,
        e.delivered ?? 0,
        e.read ?? 0,
      ]);
    }
    // 17:45Z and 18:29:59Z are 23:15 and 23:59:59 local (one local hour across two UTC hours).
    expect(hours.points.find((p) => p.at === "2024-10-31 23:00")!.sent).toBe(2);
    expect(hours.points.find((p) => p.at === "2024-11-01 00:00")!.sent).toBe(1);
  });

  it("answers summary, groups, bots, errors, monthly and contacts as the raw events do", async () => {
    const tz = `'America/Asuncion'`;
    const local = `(e.occurred_at at time zone ${tz})::date`;
    const range = { from: "2026-10-01", to: "2026-12-31" };
    const inRange = sql.raw(`${local} between '2026-10-01' and '2026-12-31'`);

    const summary = await caller(asu).stats.summary(range);
    const all = (await rawCounts(asu, `'all'`, inRange)).get("all")!;
    expect(summary).toMatchObject({
      sent: all.sent,
      failed: all.failed,
      delivered: all.delivered,
      read: all.read,
    });
    expect(summary.successRate).toBeCloseTo(all.sent! / (all.sent! + all.failed!));

    const byGroup = await caller(asu).stats.byGroup(range);
    const groups = await rawCounts(asu, `r.group_id::text`, inRange);
    expect(byGroup.map((g) => [g.id, g.sent, g.failed]).sort()).toEqual(
      [...groups].map(([id, c]) => [id, c.sent ?? 0, c.failed ?? 0]).sort(),
    );
    expect(byGroup.map((g) => g.name).sort()).toEqual(["Norte", "Sur"]);

    const filtered = await caller(asu).stats.summary({ ...range, groupId: asu.groupIds[0] });
    expect(filtered.sent).toBe(groups.get(asu.groupIds[0]!)!.sent);

    const byBot = await caller(asu).stats.byBot({ hours: 24 });
    const bots = await rawCounts(
      asu,
      `e.bot_id::text`,
      sql`e.occurred_at >= date_bin('15 minutes', now() - interval '24 hours', timestamptz '2000-01-01')`,
    );
    expect(byBot.map((b) => [b.id, b.sent, b.failed]).sort()).toEqual(
      [...bots].map(([id, c]) => [id, c.sent ?? 0, c.failed ?? 0]).sort(),
    );
    expect(byBot.map((b) => b.name).sort()).toEqual(["Dos", "Uno"]);

    const errors = await caller(asu).stats.errors({ days: 7 });
    const codes = await rawCounts(
      asu,
      `e.code`,
      sql.raw(`e.type = 'failed' and ${local} > (now() at time zone ${tz})::date - 7`),
    );
    expect(errors.map((e) => [e.code, e.failed]).sort()).toEqual(
      [...codes].map(([code, c]) => [code, c.failed]).sort(),
    );

    const monthly = await caller(asu).stats.monthly({ months: 12 });
    const months = await rawCounts(asu, `to_char(${local}, 'YYYY-MM')`);
    expect(monthly).toHaveLength(12);
    for (const p of monthly)
      expect([p.at, p.sent, p.failed]).toEqual([
        p.at,
        months.get(p.at)?.sent ?? 0,
        months.get(p.at)?.failed ?? 0,
      ]);

    const contacts = await caller(asu).stats.byContact({ limit: 3, sort: "sent" });
    const perContact = await rawCounts(asu, `r.contact_id::text`);
    expect(contacts.total).toBe(perContact.size);
    expect(contacts.rows).toHaveLength(3);
    for (const row of contacts.rows) {
      expect(row.sent).toBe(perContact.get(row.contactId)!.sent);
      expect(row.failed).toBe(perContact.get(row.contactId)!.failed ?? 0);
      expect(row.phone).toMatch(/^\+595/);
    }
    const sorted = contacts.rows.map((r) => r.sent);
    expect([...sorted].sort((a, b) => b - a)).toEqual(sorted);
  });

  it("reports this month against the same days of the previous one", async () => {
    const kpi = await caller(asu).stats.currentMonth();
    const { rows } = await systemDb().execute<{ sent: number; failed: number }>(sql`
      select count(*) filter (where type = 'sent')::int as sent, count(*) filter (where type = 'failed')::int as failed
        from message_event where workspace_id = ${asu.workspaceId}
         and (occurred_at at time zone 'America/Asuncion')::date >= date_trunc('month', now() at time zone 'America/Asuncion')::date`);
    expect(kpi).toMatchObject({
      sent: rows[0]!.sent,
      failed: rows[0]!.failed,
      contacts: 6,
      // Two active sandbox bots, never heard from: not online.
      botsOnline: 0,
    });
  });

  it("reports one campaign's funnel and failures as its raw events", async () => {
    const campaignId = asu.campaignIds[0]!;
    const report = await caller(asu).stats.campaignReport({ campaignId });
    const raw = (await rawCounts(asu, `'all'`, sql`e.campaign_id = ${campaignId}`)).get("all")!;
    expect(report.totals).toMatchObject({
      sent: raw.sent,
      delivered: raw.delivered,
      read: raw.read,
      failed: raw.failed,
    });
    expect(report.name).toBe("Octubre");
    const codes = await rawCounts(
      asu,
      `e.code`,
      sql`e.campaign_id = ${campaignId} and e.type = 'failed'`,
    );
    expect(report.errors.map((e) => [e.code, e.failed]).sort()).toEqual(
      [...codes].map(([c, n]) => [c, n.failed]).sort(),
    );
    expect(report.timeline.points.reduce((a, p) => a + p.sent, 0)).toBe(raw.sent);
    await expect(caller(kol).stats.campaignReport({ campaignId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("rebuilds to identical counters", async () => {
    const before = await statsRows(asu.workspaceId);
    expect(before.days.length).toBeGreaterThan(0);
    await rebuildStats({ workspaceId: asu.workspaceId });
    expect(await statsRows(asu.workspaceId)).toEqual(before);
  });

  it("counts an event committed after a fold exactly once", async () => {
    const before = (await caller(kol).stats.currentMonth()).sent;
    const client = await ownerPool().connect();
    try {
      await client.query("begin");
      await client.query(
        `insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type)
         select workspace_id, campaign_id, id, bot_id, 'sent' from campaign_recipient where workspace_id = $1 limit 1`,
        [kol.workspaceId],
      );
      // Later events commit first and are folded while the first is still open.
      await writeEvents(kol, [new Date()]);
      await foldWorkspace({ workspaceId: kol.workspaceId });
      expect((await caller(kol).stats.currentMonth()).sent).toBe(before + 1);
      await client.query("commit");
    } finally {
      client.release();
    }
    await foldWorkspace({ workspaceId: kol.workspaceId });
    await foldWorkspace({ workspaceId: kol.workspaceId });
    expect((await caller(kol).stats.currentMonth()).sent).toBe(before + 2);
    const folded = await statsRows(kol.workspaceId);
    await rebuildStats({ workspaceId: kol.workspaceId });
    expect(await statsRows(kol.workspaceId)).toEqual(folded);
  });

  it("keeps workspaces apart", async () => {
    await expect(
      caller(asu, kol.workspaceId).stats.summary({ from: "2026-10-01", to: "2026-12-31" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const a = await caller(asu).stats.byContact({ limit: 100 });
    expect(a.rows.every((r) => asu.contactIds.includes(r.contactId))).toBe(true);
    const groups = await caller(kol).stats.byGroup({ from: "2026-10-01", to: "2026-12-31" });
    expect(groups.map((g) => g.id).sort()).toEqual([...kol.groupIds].sort());
  });

  it("refuses reversed and over-long ranges", async () => {
    await expect(
      caller(asu).stats.summary({ from: "2026-11-02", to: "2026-11-01" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      caller(asu).stats.timeline({ from: "2026-01-01", to: "2026-03-01", bucket: "hour" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      caller(asu).stats.summary({ from: "2026-02-30", to: "2026-03-01" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
