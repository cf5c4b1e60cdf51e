/**
 * The send-time admission of a paced bot (`admitSend`, bot_pacing.recent) on real Postgres:
 * at most `limit` sends in any window of a second, a minimum gap after the previous send,
 * a cold send stamped later than its admission so the sends after it keep their distance
 * from when it really leaves, and a send's stamp moved to when it was answered (capped).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admitSend, recordDeparture } from "@/modules/bots/pacing";
import { closeDatabase } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { createSandboxBot } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";

describe("paced send admission", () => {
  let t: Tenant;

  beforeAll(async () => {
    t = await freshTenant();
  });

  afterAll(async () => {
    await closeDatabase();
  });

  async function freshBot(): Promise<string> {
    const bot = await createSandboxBot(t, { ratePerSecond: 10 });
    await withTenant({ workspaceId: t.workspaceId }, (tx) =>
      // The pacing row exists once a batch reserves slots; admission only updates it.
      tx.execute(
        sql`insert into bot_pacing (workspace_id, bot_id) values (${t.workspaceId}, ${bot.id}) on conflict do nothing`,
      ),
    );
    return bot.id;
  }

  const admit = (botId: string, limit: number, coldMs = 0) =>
    withTenant({ workspaceId: t.workspaceId }, (tx) =>
      admitSend(tx, t.workspaceId, botId, limit, coldMs),
    );

  async function admitWhenDue(botId: string, limit: number) {
    for (;;) {
      const answer = await admit(botId, limit);
      if (answer.admitted) return;
      await new Promise((r) => setTimeout(r, answer.waitMs));
    }
  }

  it("lets `limit` sends into a second, then asks the next to wait out the window", async () => {
    const botId = await freshBot();
    // A high limit makes the minimum gap negligible (0.9 × 1.002 s / 1000 ≈ 0.9 ms).
    const limit = 1000;
    const started = Date.now();
    for (let i = 0; i < 3; i++) await admitWhenDue(botId, limit);
    expect(Date.now() - started).toBeLessThan(500);

    const botLimited = await freshBot();
    for (let i = 0; i < 2; i++) await admitWhenDue(botLimited, 2);
    const third = await admit(botLimited, 2);
    expect(third.admitted).toBe(false);
    // The first of the two sends was at most ~0.5 s ago (the gap), so the window has > 400 ms left.
    expect(third.admitted ? 0 : third.waitMs).toBeGreaterThan(400);
  });

  it("stamps a cold send later: the next send waits for the margin plus the gap", async () => {
    const warm = await freshBot();
    expect(await admit(warm, 1000)).toMatchObject({ admitted: true });
    const afterWarm = await admit(warm, 1000);
    // Without a margin the next send is held at most the ~0.9 ms gap (plus the round trip).
    if (!afterWarm.admitted) expect(afterWarm.waitMs).toBeLessThan(20);

    const cold = await freshBot();
    expect(await admit(cold, 1000, 200)).toMatchObject({ admitted: true });
    const afterCold = await admit(cold, 1000);
    expect(afterCold.admitted).toBe(false);
    expect(afterCold.admitted ? 0 : afterCold.waitMs).toBeGreaterThan(150);
    expect(afterCold.admitted ? 0 : afterCold.waitMs).toBeLessThanOrEqual(205);
  });

  const stamps = async (botId: string) =>
    (
      await withTenant({ workspaceId: t.workspaceId }, (tx) =>
        tx.execute<{ ms: number }>(sql`
          select (extract(epoch from s) * 1000)::float8 as ms
            from bot_pacing, unnest(recent) s where workspace_id = ${t.workspaceId} and bot_id = ${botId}`),
      )
    ).rows.map((r) => Number(r.ms));

  const depart = (botId: string, limit: number, stamp: string) =>
    withTenant({ workspaceId: t.workspaceId }, (tx) =>
      recordDeparture(tx, t.workspaceId, botId, limit, stamp),
    );

  async function admitted(botId: string, limit: number): Promise<string> {
    for (;;) {
      const answer = await admit(botId, limit);
      if (answer.admitted) {
        // The bot has its pacing row: an admission always carries its stamp.
        if (answer.stamp === null) throw new Error("admitted without a stamp");
        return answer.stamp;
      }
      await new Promise((r) => setTimeout(r, answer.waitMs));
    }
  }

  /**
   * A fresh bot's first send admitted (and `more` sends after it), then answered `delayMs`
   * later: the bot's stamps before and after the answer is recorded.
   */
  async function answeredAfter(limit: number, delayMs: number, more = 0) {
    const botId = await freshBot();
    const stamp = await admitted(botId, limit);
    for (let i = 0; i < more; i++) await admitted(botId, limit);
    const before = await stamps(botId);
    await new Promise((r) => setTimeout(r, delayMs));
    await depart(botId, limit, stamp);
    return { before, after: await stamps(botId) };
  }

  it("moves an admitted send's stamp to its answer, by at most the cap, keeping the order", async () => {
    // Answered ~20 ms after admission: the stamp moves by about that.
    const quick = await answeredAfter(2, 20);
    const [admittedAt] = quick.before;
    const [moved] = quick.after;
    expect(moved! - admittedAt!).toBeGreaterThanOrEqual(19);
    expect(moved! - admittedAt!).toBeLessThan(50);

    // Answered late: the stamp moves by the cap (50 ms) only.
    const slow = await answeredAfter(2, 120);
    const [slowAt] = slow.before;
    const [slowMoved] = slow.after;
    expect(slowMoved! - slowAt!).toBeCloseTo(50, 0);

    // At 1,000 a second the cap is half the ~0.9 ms gap: a stamp never passes the next one's.
    const fast = await answeredAfter(1000, 120, 1);
    const [firstAt, secondAt] = fast.before;
    const [firstMoved, secondStill] = fast.after;
    expect(firstMoved! - firstAt!).toBeCloseTo(0.451, 2);
    expect(secondStill).toBe(secondAt);
    expect(secondStill!).toBeGreaterThan(firstMoved!);
  });
});
