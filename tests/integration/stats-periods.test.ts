/**
 * Top contacts over a chosen period (from the per-contact-day counters) equal a GROUP BY over
 * the raw events of those local days, fold and rebuild agree on them; "bots online" counts the
 * bots heard from in the last minute, not the active ones.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "@/modules/stats/calendar";
import { foldWorkspace, rebuildStats } from "@/modules/stats/fold.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { contextFor } from "../helpers/fixtures";
import { statsTenant, writeEvents, type StatsDataset } from "../helpers/stats-dataset";

const caller = (d: StatsDataset) => createCaller(contextFor(d.user, d.workspaceId));

/** Per contact over local days `from`..`to` of Asunción, straight from message_event. */
async function rawPerContact(d: StatsDataset, from: string, to: string) {
  const { rows } = await systemDb().execute<{
    contact_id: string;
    sent: number;
    failed: number;
    delivered: number;
    read: number;
    last_at: string;
  }>(sql`
    select r.contact_id, count(*) filter (where e.type = 'sent')::int as sent,
           count(*) filter (where e.type = 'failed')::int as failed,
           count(*) filter (where e.type = 'delivered')::int as delivered,
           count(*) filter (where e.type = 'read')::int as read, max(e.occurred_at) as last_at
      from message_event e
      join campaign_recipient r on r.workspace_id = e.workspace_id and r.campaign_id = e.campaign_id and r.id = e.recipient_id
     where e.workspace_id = ${d.workspaceId}
       and (e.occurred_at at time zone 'America/Asuncion')::date between ${from}::date and ${to}::date
     group by 1`);
  return new Map(rows.map((r) => [r.contact_id, r]));
}

const contactDays = async (workspaceId: string) =>
  (
    await systemDb().execute(
      sql`select day, contact_id, group_id, phone, nombre, sent, failed, delivered, read, last_at
            from stats_contact_day where workspace_id = ${workspaceId} order by 1, 2`,
    )
  ).rows;

// Asunción is UTC−3: 10 March 2026 runs from 03:00Z on the 10th to 03:00Z on the 11th.
const INSTANTS = [
  "2026-03-09T12:00:00Z",
  "2026-03-10T02:59:59Z",
  "2026-03-10T03:00:00Z",
  "2026-03-10T15:00:00Z",
  "2026-03-11T02:59:59Z",
  "2026-03-11T03:00:00Z",
  "2026-03-12T12:00:00Z",
  "2026-03-10T20:00:00Z",
  "2026-03-10T21:00:00Z",
].map((t) => new Date(t));

describe("top contacts by period", () => {
  let d: StatsDataset;

  beforeAll(async () => {
    d = await statsTenant("America/Asuncion");
    // History first (the first fold takes everything), then events written now, as the send
    // path writes them, taken by an incremental fold into today's rows.
    await writeEvents(d, INSTANTS);
    await foldWorkspace({ workspaceId: d.workspaceId });
    await writeEvents(d, [new Date(), new Date(), new Date()]);
    expect(await foldWorkspace({ workspaceId: d.workspaceId })).toEqual({
      events: expect.any(Number),
      tasks: 0,
      rebuilt: false,
    });
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("sums the period's local days only, as the raw events do", async () => {
    const today = todayIn("America/Asuncion");
    for (const [from, to] of [
      ["2026-03-10", "2026-03-10"],
      ["2026-03-09", "2026-03-11"],
      [today, today],
    ] as const) {
      const raw = await rawPerContact(d, from, to);
      const page = await caller(d).stats.byContact({ from, to, limit: 100, sort: "sent" });
      expect(page.total).toBe(raw.size);
      expect(page.rows).toHaveLength(raw.size);
      for (const row of page.rows) {
        const r = raw.get(row.contactId)!;
        expect([row.sent, row.failed, row.delivered, row.read], `${from} ${row.contactId}`).toEqual(
          [r.sent, r.failed, r.delivered, r.read],
        );
        expect(row.lastAt.getTime()).toBe(new Date(r.last_at).getTime());
      }
      const sent = page.rows.map((r) => r.sent);
      expect([...sent].sort((x, y) => y - x)).toEqual(sent);
    }
    // 10 March only: fewer sends than all time for the busiest contact.
    const day = await caller(d).stats.byContact({ from: "2026-03-10", to: "2026-03-10" });
    const allTime = await caller(d).stats.byContact({});
    const total = (rows: { sent: number }[]) => rows.reduce((a, r) => a + r.sent, 0);
    expect(total(day.rows)).toBeLessThan(total(allTime.rows));
    const empty = await caller(d).stats.byContact({ from: "2025-01-01", to: "2025-01-31" });
    expect(empty).toEqual({ rows: [], total: 0 });
  });

  it("filters a period by group and pages through it", async () => {
    const groupId = d.groupIds[0]!;
    const page = await caller(d).stats.byContact({
      from: "2026-03-09",
      to: "2026-03-12",
      groupId,
      limit: 100,
    });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.groupId === groupId)).toBe(true);
    const first = await caller(d).stats.byContact({
      from: "2026-03-09",
      to: "2026-03-12",
      limit: 2,
      sort: "lastAt",
    });
    const second = await caller(d).stats.byContact({
      from: "2026-03-09",
      to: "2026-03-12",
      limit: 2,
      page: 2,
      sort: "lastAt",
    });
    expect(first.rows[1]!.lastAt.getTime()).toBeGreaterThanOrEqual(
      second.rows[0]!.lastAt.getTime(),
    );
    expect(first.rows.map((r) => r.contactId)).not.toContain(second.rows[0]!.contactId);
    // Past the last page: no rows, and the period's count is still there.
    const past = await caller(d).stats.byContact({
      from: "2026-03-09",
      to: "2026-03-12",
      limit: 2,
      page: 1000,
    });
    expect(past.rows).toEqual([]);
    expect(past.total).toBe(first.total);
    expect(first.total).toBeGreaterThan(2);
  });

  it("rebuilds the per-day counters identically", async () => {
    const folded = await contactDays(d.workspaceId);
    expect(folded.length).toBeGreaterThan(0);
    await rebuildStats({ workspaceId: d.workspaceId });
    expect(await contactDays(d.workspaceId)).toEqual(folded);
  });

  it("needs both ends of a period", async () => {
    await expect(caller(d).stats.byContact({ from: "2026-03-10" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      caller(d).stats.byContact({ from: "2026-03-11", to: "2026-03-10" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("bots online", () => {
  it("counts the bots heard from in the last minute, whatever their status", async () => {
    const d = await statsTenant("UTC");
    const online = async () => (await caller(d).stats.currentMonth()).botsOnline;
    // Two active sandbox bots that nobody has heard from.
    expect(await online()).toBe(0);
    await systemDb().execute(sql`
      update bot set last_seen_at = case id when ${d.botIds[0]}::uuid then now() - interval '5 seconds'
                                             else now() - interval '2 minutes' end
       where workspace_id = ${d.workspaceId}`);
    expect(await online()).toBe(1);
    await systemDb().execute(
      sql`update bot set status = 'paused', last_seen_at = now() where workspace_id = ${d.workspaceId}`,
    );
    expect(await online()).toBe(2);
  });
});
