/**
 * Scheduled campaigns whose pg-boss trigger was lost get it back from the maintenance cron
 * (`repairCampaignSchedules`): a recurring campaign's schedule removed or drifted is
 * installed again as launch installs it; a dated campaign whose delayed start job is gone
 * starts once its time is 2 minutes past, and sends its audience once.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCampaignMaintenance } from "@/modules/campaigns/maintenance";
import { repairCampaignSchedules } from "@/modules/campaigns/schedule-repair";
import { systemDb } from "@/server/db/client";
import { getBoss } from "@/server/queue/boss";
import { fireCampaignSchedule } from "@jobs/campaigns/fire-schedule.job";
import {
  callerFor,
  campaignSuite,
  createSandboxBot,
  draftOf,
  seedAudience,
  statusCounts,
  waitForCampaign,
} from "../helpers/campaigns";
import type { Tenant } from "../helpers/import";

/** The campaign's start jobs not yet run (a dated launch leaves one, delayed). */
async function pendingStarts(campaignId: string): Promise<number> {
  const { rows } = await systemDb().execute<{ n: number }>(sql`
    select count(*)::int as n from pgboss.job
     where name = 'campaign.materialize' and data->>'campaignId' = ${campaignId}
       and state in ('created', 'retry')`);
  return rows[0]!.n;
}

describe("repair of lost campaign schedules", () => {
  let t: Tenant;

  campaignSuite((tenant) => (t = tenant));

  it("installs a recurring campaign's schedule again when it is gone or drifted", async () => {
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 2, { from: 700 });
    const api = callerFor(t);
    const parent = await api.campaigns.create({
      ...draftOf("Lunes", groupId, [bot.id]),
      schedule: { type: "cron", cron: "30 8 * * 1" },
    });
    await api.campaigns.launch({ id: parent.id });
    const boss = await getBoss();
    const installed = await boss.getSchedules(fireCampaignSchedule.name, parent.id);
    expect(installed).toHaveLength(1);
    const expected = {
      key: parent.id,
      cron: "30 8 * * 1",
      timezone: t.workspace.timeZone,
      data: { workspaceId: t.workspaceId, campaignId: parent.id },
    };

    // Lost (a crash between the launch's commit and pg-boss, a restore): installed again.
    await boss.unschedule(fireCampaignSchedule.name, parent.id);
    expect(await boss.getSchedules(fireCampaignSchedule.name, parent.id)).toEqual([]);
    // Through the maintenance cron's pass, as in production.
    expect((await runCampaignMaintenance()).reinstalled).toBeGreaterThanOrEqual(1);
    const [back] = await boss.getSchedules(fireCampaignSchedule.name, parent.id);
    expect(back).toMatchObject(expected);

    // Drifted to another zone: put back in the workspace's.
    await boss.schedule(fireCampaignSchedule.name, "30 8 * * 1", expected.data, {
      tz: "Asia/Tokyo",
      key: parent.id,
    });
    await repairCampaignSchedules();
    expect((await boss.getSchedules(fireCampaignSchedule.name, parent.id))[0]).toMatchObject(
      expected,
    );

    // In line: left as it is.
    const before = (await boss.getSchedules(fireCampaignSchedule.name, parent.id))[0]!;
    await repairCampaignSchedules();
    expect((await boss.getSchedules(fireCampaignSchedule.name, parent.id))[0]).toEqual(before);

    // Canceled: no schedule, and the repair does not bring one back.
    await api.campaigns.cancel({ id: parent.id });
    await repairCampaignSchedules();
    expect(await boss.getSchedules(fireCampaignSchedule.name, parent.id)).toEqual([]);
  });

  it("starts a dated campaign whose start job was lost, once its time is past", async () => {
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 3, { from: 720 });
    const api = callerFor(t);
    const draft = await api.campaigns.create({
      ...draftOf("Fechada", groupId, [bot.id]),
      schedule: { type: "at", at: "2099-01-01T09:00" },
    });
    expect((await api.campaigns.launch({ id: draft.id })).status).toBe("scheduled");
    expect(await pendingStarts(draft.id)).toBe(1);

    // The delayed job is lost; while the time is ahead, nothing is started.
    await systemDb().execute(sql`
      delete from pgboss.job where name = 'campaign.materialize' and data->>'campaignId' = ${draft.id}`);
    await repairCampaignSchedules();
    expect(await pendingStarts(draft.id)).toBe(0);
    expect((await api.campaigns.get({ id: draft.id })).status).toBe("scheduled");

    // A clock past its time (the row's wall time is the workspace's): started again.
    await repairCampaignSchedules(new Date("2099-01-01T23:59:00Z"));
    const done = await waitForCampaign(t, draft.id, ["completed"]);
    expect(done.counts).toMatchObject({ total: 3, sent: 3 });
    expect(await statusCounts(t.workspaceId, draft.id)).toEqual({ sent: 3 });
    // Running or done, it is no longer `scheduled`: a later pass starts nothing.
    await repairCampaignSchedules(new Date("2099-01-02T00:00:00Z"));
    expect(await pendingStarts(draft.id)).toBe(0);
  });
});
