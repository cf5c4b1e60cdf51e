/**
 * Scheduled campaigns whose trigger was lost — a crash between a launch's commit and its
 * pg-boss call, a schedule removed by hand, a database restored without its queue — found by
 * the `campaign.maintenance` cron (every 5 minutes):
 * - a recurring campaign still `scheduled` without its pg-boss schedule, or with another cron,
 *   zone or payload than the campaign and its workspace have, gets it installed again;
 * - a campaign scheduled for a date and time over 2 minutes past gets its `campaign.materialize`
 *   job again (idempotent: the job starts the campaign once, a repeat finds it running).
 * A schedule left by a campaign no longer scheduled is removed by its next firing.
 */
import { and, eq, sql } from "drizzle-orm";
import { zonedWallTimeToDate } from "@/lib/zoned-time";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { allBossSchedules } from "@/server/queue/boss-schedules";
import { enqueue } from "@jobs/enqueue";
import { fireCampaignSchedule } from "@jobs/campaigns/fire-schedule.job";
import { materializeCampaign } from "@jobs/campaigns/materialize.job";
import { installCampaignSchedule } from "./campaign-launch.service";
import { campaigns } from "./campaigns.table";

/** How late a dated start may be before it is taken as lost (a busy queue is not). */
const LOST_AFTER_MS = 2 * 60_000;

export async function repairCampaignSchedules(now = new Date()) {
  const rows = await systemDb()
    .select({ workspaceId: campaigns.workspaceId, id: campaigns.id, schedule: campaigns.schedule })
    .from(campaigns)
    .where(
      and(eq(campaigns.status, "scheduled"), sql`${campaigns.schedule}->>'type' in ('cron', 'at')`),
    );
  if (rows.length === 0) return { reinstalled: 0, restarted: 0 };
  const zones = await timeZonesOf([...new Set(rows.map((r) => r.workspaceId))]);
  const held = new Map((await allBossSchedules(fireCampaignSchedule.name)).map((s) => [s.key, s]));
  let reinstalled = 0;
  let restarted = 0;
  for (const row of rows) {
    const timeZone = zones.get(row.workspaceId)!;
    if (row.schedule.type === "cron") {
      const current = held.get(row.id);
      const data = current?.data as { workspaceId?: string; campaignId?: string } | undefined;
      const same =
        current?.cron === row.schedule.cron &&
        current.timezone === timeZone &&
        data?.workspaceId === row.workspaceId &&
        data.campaignId === row.id;
      if (same) continue;
      await installCampaignSchedule(row.workspaceId, row, timeZone);
      reinstalled++;
    } else if (row.schedule.type === "at") {
      const startAt = zonedWallTimeToDate(row.schedule.at, timeZone);
      if (startAt.getTime() > now.getTime() - LOST_AFTER_MS) continue;
      await enqueue(materializeCampaign, { workspaceId: row.workspaceId, campaignId: row.id });
      restarted++;
    }
  }
  return { reinstalled, restarted };
}

async function timeZonesOf(workspaceIds: string[]): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  for (const workspaceId of workspaceIds) {
    const { timeZone } = await withTenant({ workspaceId }, (tx) =>
      getWorkspace({ tx, workspaceId }),
    );
    zones.set(workspaceId, timeZone);
  }
  return zones;
}
