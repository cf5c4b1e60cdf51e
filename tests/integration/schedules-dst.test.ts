/**
 * Cron firings across daylight-saving changes and time-zone changes, on real Postgres and
 * real pg-boss: the autumn night's repeated wall time fires once, the spring night's missing
 * one is neither promised nor fired, a recurring campaign follows its workspace's zone and
 * fires once per occurrence however often it is delivered, and a campaign cron pg-boss would
 * refuse is a 400 that leaves the draft a draft.
 */
import { and, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import Timekeeper from "pg-boss/dist/timekeeper.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as launchRoute from "@/app/api/v1/campaigns/[id]/launch/route";
import * as campaignsRoute from "@/app/api/v1/campaigns/route";
import { fireRecurringCampaign } from "@/modules/campaigns/campaign-launch.service";
import { campaigns } from "@/modules/campaigns/campaigns.table";
import { nextRuns } from "@/modules/schedules/cron-preview";
import { fireScheduleSlot } from "@/modules/schedules/schedule-fire.service";
import { botTasks } from "@/modules/tasks/tasks.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { fireCampaignSchedule } from "@jobs/campaigns/fire-schedule.job";
import { fireSchedule } from "@jobs/schedules/fire.job";
import { callerFor, createSandboxBot, draftOf, seedAudience } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { createAgentBot, type Agent } from "./agents-helpers";
import { call, keyFor } from "./api-helpers";

const MADRID = "Europe/Madrid";
const ACTION = "dst.report";
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

/**
 * The occurrences pg-boss's cron pass sends a job for between `from` and `to`, for an
 * expression firing at minute 30: its own due check (the timekeeper's, not a copy of it) at a
 * pass 20 s into every HH:30 — any pass cadence under the 60-second due window reaches one —
 * one job per occurrence (the pass's throttle slot drops a second send of the same one).
 */
function pgBossDeliveries(cron: string, tz: string, from: string, to: string): string[] {
  const keeper = new Timekeeper(null as never, null as never, {} as never) as unknown as {
    dueOccurrences(
      expression: string,
      kind: "cron",
      tz: string,
      databaseTime: number,
    ): { occurrences: Date[] };
  };
  const sent = new Set<string>();
  for (let t = Date.parse(from) + 30 * 60_000 + 20_000; t <= Date.parse(to); t += 3_600_000) {
    for (const o of keeper.dueOccurrences(cron, "cron", tz, t).occurrences)
      sent.add(o.toISOString());
  }
  return [...sent].sort();
}

let t: Tenant;
let agent: Agent;
let boss: PgBoss;

beforeAll(async () => {
  boss = await getBoss();
  t = await freshTenant();
  agent = await createAgentBot(t);
  await callerFor(t).tasks.defineAction({
    name: ACTION,
    schema: { type: "object", properties: { at: { type: "string" } }, required: ["at"] },
  });
});

afterAll(async () => {
  await stopBoss(5_000);
  await closeDatabase();
});

function madridSchedule(name: string, cron: string) {
  return callerFor(t).schedules.create({
    name,
    cron,
    timeZone: MADRID,
    target: {
      kind: "task" as const,
      botId: agent.botId,
      action: ACTION,
      payload: { at: "{{slot}}" },
    },
  });
}

async function taskSlots(scheduleId: string) {
  const rows = await systemDb()
    .select({ key: botTasks.idempotencyKey })
    .from(botTasks)
    .where(eq(botTasks.workspaceId, t.workspaceId));
  return rows
    .map((r) => r.key ?? "")
    .filter((k) => k.startsWith(`schedule:${scheduleId}:`))
    .map((k) => k.slice(`schedule:${scheduleId}:`.length))
    .sort();
}

describe("schedules across DST", () => {
  it("autumn: `30 2 * * *` in Madrid, delivered twice on 2026-10-25, fires once", async () => {
    const cron = "30 2 * * *";
    const delivered = pgBossDeliveries(
      cron,
      MADRID,
      "2026-10-24T00:00:00Z",
      "2026-10-27T00:00:00Z",
    );
    // The defect's premise: pg-boss sends the repeated 02:30 (CEST, then CET) both.
    expect(delivered).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T01:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
    const schedule = await madridSchedule("Autumn", cron);
    const outcomes = [];
    for (const at of delivered) {
      const firing = await fireScheduleSlot({
        workspaceId: t.workspaceId,
        scheduleId: schedule.id,
        at: new Date(Date.parse(at) + 4_000),
      });
      outcomes.push(firing.outcome);
    }
    expect(outcomes).toEqual(["created", "created", "duplicate", "created"]);
    const fired = await taskSlots(schedule.id);
    expect(fired).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
    // What fired is exactly what the preview promised.
    expect(iso(nextRuns(cron, MADRID, new Date("2026-10-24T00:00:00Z"), 3))).toEqual(fired);
  });

  it("autumn: an hourly expression still fires both 02:30s (two real hours)", async () => {
    const schedule = await madridSchedule("Autumn hourly", "30 * * * *");
    const fire = (at: string) =>
      fireScheduleSlot({ workspaceId: t.workspaceId, scheduleId: schedule.id, at: new Date(at) });
    expect((await fire("2026-10-25T00:30:02Z")).outcome).toBe("created");
    expect((await fire("2026-10-25T01:30:02Z")).outcome).toBe("created");
    expect((await fire("2026-10-25T01:30:09Z")).outcome).toBe("duplicate");
  });

  it("spring: the preview does not promise the 02:30 that does not exist, and nothing fires it", async () => {
    const cron = "30 2 * * *";
    const delivered = pgBossDeliveries(
      cron,
      MADRID,
      "2026-03-27T00:00:00Z",
      "2026-03-31T00:00:00Z",
    );
    const promised = iso(nextRuns(cron, MADRID, new Date("2026-03-27T00:00:00Z"), 3));
    expect(promised).toEqual([
      "2026-03-27T01:30:00.000Z",
      "2026-03-28T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    expect(promised).not.toContain("2026-03-29T01:30:00.000Z");
    expect(delivered).toEqual(promised);

    const schedule = await madridSchedule("Spring", cron);
    for (const at of delivered) {
      const firing = await fireScheduleSlot({
        workspaceId: t.workspaceId,
        scheduleId: schedule.id,
        at: new Date(Date.parse(at) + 3_000),
      });
      expect(firing.outcome).toBe("created");
    }
    expect(await taskSlots(schedule.id)).toEqual(promised);
  });
});

describe("recurring campaigns", () => {
  async function launchedRecurring(name: string, cron: string) {
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 2, { from: 300 + name.length * 7 });
    const api = callerFor(t);
    const parent = await api.campaigns.create({
      ...draftOf(name, groupId, [bot.id]),
      schedule: { type: "cron", cron },
    });
    expect((await api.campaigns.launch({ id: parent.id })).status).toBe("scheduled");
    return parent;
  }

  const useZone = (timeZone: string) =>
    callerFor(t).workspaces.updateSettings({
      name: t.workspace.name,
      defaultCountry: "PY",
      timeZone,
    });

  async function runsOf(parentId: string) {
    return systemDb()
      .select({ id: campaigns.id, name: campaigns.name })
      .from(campaigns)
      .where(and(eq(campaigns.workspaceId, t.workspaceId), eq(campaigns.parentId, parentId)));
  }

  it("a time-zone change re-installs the cron campaign's pg-boss schedule in the new zone", async () => {
    const api = callerFor(t);
    const bossRow = async (id: string) =>
      (await boss.getSchedules(fireCampaignSchedule.name, id))[0];
    const parent = await launchedRecurring("Lunes", "0 9 * * 1");
    expect(await bossRow(parent.id)).toMatchObject({
      cron: "0 9 * * 1",
      timezone: t.workspace.timeZone,
    });
    // A schedule row has its own zone: a workspace change leaves it alone.
    const own = await madridSchedule("Own zone", "0 8 * * *");
    const settings = { name: t.workspace.name, defaultCountry: "PY" };
    await api.workspaces.updateSettings({ ...settings, timeZone: "Asia/Tokyo" });

    expect(await bossRow(parent.id)).toMatchObject({
      cron: "0 9 * * 1",
      timezone: "Asia/Tokyo",
      data: { workspaceId: t.workspaceId, campaignId: parent.id },
    });
    expect((await boss.getSchedules(fireSchedule.name, own.id))[0]).toMatchObject({
      timezone: MADRID,
    });
    // The page's next runs are in the same zone pg-boss now fires in.
    const { nextRuns: runs } = await api.campaigns.activity({ id: parent.id });
    expect(runs).toHaveLength(5);
    const local = (d: Date) =>
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "Asia/Tokyo",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
      }).format(d);
    for (const run of runs) expect(local(run)).toBe("Mon 09:00");

    // A change back re-installs it again.
    await api.workspaces.updateSettings({ ...settings, timeZone: MADRID });
    expect(await bossRow(parent.id)).toMatchObject({ timezone: MADRID });
    await api.campaigns.cancel({ id: parent.id });
    expect(await bossRow(parent.id)).toBeUndefined();
  });

  it("firing the same slot twice (a retry, a second delivery) creates one run", async () => {
    await useZone(MADRID);
    const parent = await launchedRecurring("Semanal DST", "0 9 * * 1");
    // Monday 2026-03-02 09:00 in Madrid.
    const at = (s: string) => ({
      workspaceId: t.workspaceId,
      campaignId: parent.id,
      at: new Date(s),
    });
    const first = await fireRecurringCampaign({ ...at("2026-03-02T08:00:03Z"), firingId: "j1" });
    expect(first).toMatchObject({ slot: "2026-03-02T08:00:00.000Z" });
    expect(first.created).toBeTruthy();
    // The job retried after its run committed, and two more deliveries at once.
    const again = await Promise.all([
      fireRecurringCampaign({ ...at("2026-03-02T08:00:15Z"), firingId: "j1" }),
      fireRecurringCampaign({ ...at("2026-03-02T08:00:40Z"), firingId: "j2" }),
    ]);
    expect(again).toEqual([
      { created: null, duplicate: true, slot: "2026-03-02T08:00:00.000Z" },
      { created: null, duplicate: true, slot: "2026-03-02T08:00:00.000Z" },
    ]);
    expect(await runsOf(parent.id)).toHaveLength(1);
    // The next Monday is a run of its own; the definition stays scheduled.
    const next = await fireRecurringCampaign(at("2026-03-09T08:00:02Z"));
    expect(next.created).toBeTruthy();
    const runs = await runsOf(parent.id);
    expect(runs.map((r) => r.name).sort()).toEqual(["Semanal DST #1", "Semanal DST #2"]);
    expect((await callerFor(t).campaigns.get({ id: parent.id })).status).toBe("scheduled");
    expect(await boss.getSchedules(fireCampaignSchedule.name, parent.id)).toHaveLength(1);
    await callerFor(t).campaigns.cancel({ id: parent.id });
  });

  it("the repeated autumn wall time creates one run", async () => {
    await useZone(MADRID);
    const parent = await launchedRecurring("Madrugada", "30 2 * * *");
    const fire = (s: string) =>
      fireRecurringCampaign({ workspaceId: t.workspaceId, campaignId: parent.id, at: new Date(s) });
    expect((await fire("2026-10-25T00:30:05Z")).created).toBeTruthy();
    expect(await fire("2026-10-25T01:30:05Z")).toMatchObject({ created: null, duplicate: true });
    expect((await fire("2026-10-26T01:30:05Z")).created).toBeTruthy();
    expect(await runsOf(parent.id)).toHaveLength(2);
    await callerFor(t).campaigns.cancel({ id: parent.id });
  });

  it("a campaign cron pg-boss would refuse (an RRULE) is a 400 and the campaign stays a draft", async () => {
    const { secret } = await keyFor(t.workspaceId, ["campaigns:read", "campaigns:write"]);
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 1, { from: 950 });
    const rrule = "FREQ=DAILY;UNTIL=20200102T000000Z";
    const draft = draftOf("Regla", groupId, [bot.id]);

    // Saving one is refused on the field, with the schedules' code.
    const refused = await call(campaignsRoute.POST, {
      method: "POST",
      path: "/campaigns",
      key: secret,
      json: { ...draft, schedule: { type: "cron", cron: rrule } },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("schedule.cronFields");

    // A draft saved before the rule existed: launching it is a 400, not a 500, and changes nothing.
    const saved = await callerFor(t).campaigns.create(draft);
    await systemDb().execute(
      sql`update campaign set schedule = ${JSON.stringify({ type: "cron", cron: rrule })}::jsonb where workspace_id = ${t.workspaceId} and id = ${saved.id}`,
    );
    const launched = await call(launchRoute.POST, {
      method: "POST",
      path: `/campaigns/${saved.id}/launch`,
      key: secret,
      params: { id: saved.id },
    });
    expect(launched.status).toBe(400);
    expect(JSON.stringify(await launched.json())).toContain("campaign.cronInvalid");
    expect((await callerFor(t).campaigns.get({ id: saved.id })).status).toBe("draft");
    expect(await boss.getSchedules(fireCampaignSchedule.name, saved.id)).toEqual([]);
  });
});
