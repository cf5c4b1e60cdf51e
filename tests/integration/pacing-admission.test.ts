/**
 * The send-time admission of a paced bot (`admitSend`, bot_pacing.recent) on real Postgres:
 * at most `limit` sends in any window of a second, a minimum gap after the previous send,
 * a cold send stamped later than its admission so the sends after it keep their distance
 * from when it really leaves, a send's stamp moved to when it was answered (capped), and a
 * send admitted ahead for its due time when that is at most one interval away.
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

  /** A stamp (`timestamptz` text, microseconds) as epoch ms, keeping the fraction. */
  const msOf = (stamp: string) => {
    const fraction = /\.(\d+)/.exec(stamp)?.[1] ?? "0";
    return Date.parse(stamp.replace(/\.\d+/, "")) + Number(`0.${fraction}`) * 1000;
  };

  /** Records a send's answer (local epoch ms); its request started at its stamp unless told. */
  const depart = (botId: string, stamp: string, answeredAt = Date.now(), startedAt = msOf(stamp)) =>
    withTenant({ workspaceId: t.workspaceId }, (tx) =>
      recordDeparture(tx, t.workspaceId, botId, { stamp, startedAt, answeredAt }),
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
    await depart(botId, stamp);
    return { before, after: await stamps(botId) };
  }

  it("moves an admitted send's stamp to its answer, at most the cap after its start", async () => {
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
    // (The cap counts from the start; the offset's uncertainty adds up to half a round trip.)
    expect(slowMoved! - slowAt!).toBeGreaterThanOrEqual(50);
    expect(slowMoved! - slowAt!).toBeLessThan(53);

    // At 1,000 a second (a ~0.9 ms gap) the cap is the same 50 ms: the moved stamp passes the
    // next send's, which stays put.
    const fast = await answeredAfter(1000, 120, 1);
    const [firstAt, secondAt] = fast.before;
    const [firstMoved, secondStill] = fast.after;
    expect(firstMoved! - firstAt!).toBeGreaterThanOrEqual(50);
    expect(firstMoved! - firstAt!).toBeLessThan(53);
    expect(secondStill).toBe(secondAt);
    expect(firstMoved!).toBeGreaterThan(secondStill!);
  });

  it("admits a send ahead for its due time, one interval at most, gapped from the admission", async () => {
    // 10 a second: a minimum gap of 90.2 ms, a horizon of 100.2 ms.
    const botId = await freshBot();
    const first = await admitted(botId, 10);
    const next = await admit(botId, 10);
    expect(next.admitted).toBe(true);
    if (!next.admitted || next.stamp === null) throw new Error("not admitted ahead");
    // Due the minimum gap after the first admission, and said so in local time.
    expect(msOf(next.stamp) - msOf(first)).toBeCloseTo(90.2, 0);
    expect(next.dueAt - Date.now()).toBeGreaterThan(40);
    expect(next.dueAt - Date.now()).toBeLessThanOrEqual(91);

    // The first send answered 40 ms late: its stamp moves, the gap still counts from admission.
    await depart(botId, first, msOf(first) + 40);
    const [movedFirst] = await stamps(botId);
    expect(movedFirst! - msOf(first)).toBeGreaterThanOrEqual(39);
    const third = await admit(botId, 10);
    // 180.4 ms after the first: beyond the horizon, so asked to come back half a horizon early.
    expect(third.admitted).toBe(false);
    expect(third.admitted ? 0 : third.waitMs).toBeGreaterThan(40);
    expect(third.admitted ? 0 : third.waitMs).toBeLessThan(140);
  });

  it("holds the send after a full window until a second after the moved stamp", async () => {
    const botId = await freshBot();
    const first = await admitted(botId, 2);
    await depart(botId, first, msOf(first) + 30);
    const second = await admitted(botId, 2);
    // The second went the 451 ms gap after the first's admission, not after its answer.
    expect(msOf(second) - msOf(first)).toBeCloseTo(451, 0);
    const third = await admitted(botId, 2);
    // A second (1,002 ms) after the first send's answer, not its admission.
    // (The answer reaches the database clock through the measured offset, up to its half round trip later.)
    expect(msOf(third) - msOf(first)).toBeGreaterThanOrEqual(1031.5);
    expect(msOf(third) - msOf(first)).toBeLessThan(1040);
  });

  it("counts a late start whole and reads moved stamps in order", async () => {
    const botId = await freshBot();
    const first = await admitted(botId, 2);
    const second = await admitted(botId, 2);
    // The first send's timer fired 500 ms late: it left after the second's due time. Its stamp
    // moves the whole way (the cap counts from the start) and now passes the second's.
    await depart(botId, first, msOf(first) + 505, msOf(first) + 500);
    const moved = await stamps(botId);
    expect(Math.max(...moved) - msOf(first)).toBeGreaterThanOrEqual(504.5);
    expect(Math.min(...moved)).toBeCloseTo(msOf(second), 2);
    // The next send keeps a second from the older of the two: the second send's stamp.
    const third = await admitted(botId, 2);
    expect(msOf(third) - msOf(second)).toBeCloseTo(1002, 0);
  });
});
