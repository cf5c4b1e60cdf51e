/**
 * pg-boss holds one schedule per enabled `schedule` row, on the `schedules.fire` queue with
 * the row's id as key and its time zone as `tz`. Services call `syncBossSchedule` in the same
 * flow as the row's write; `reconcileBossSchedules` repairs whatever drifted (a crash between
 * the two, a schedule removed by hand).
 */
import { logger } from "@/lib/logger";
import { systemDb } from "@/server/db/client";
import { getBoss } from "@/server/queue/boss";
import { allBossSchedules } from "@/server/queue/boss-schedules";
import { fireSchedule } from "@jobs/schedules/fire.job";
import { enabledSchedulesEverywhere } from "./schedules.queries";

type Row = { workspaceId: string; id: string; cron: string; timeZone: string; enabled: boolean };

export async function syncBossSchedule(row: Row): Promise<void> {
  const boss = await getBoss();
  if (!row.enabled) return boss.unschedule(fireSchedule.name, row.id);
  await boss.schedule(
    fireSchedule.name,
    row.cron,
    { workspaceId: row.workspaceId, scheduleId: row.id },
    { tz: row.timeZone, key: row.id },
  );
}

export async function removeBossSchedule(id: string): Promise<void> {
  await (await getBoss()).unschedule(fireSchedule.name, id);
}

/** A firing found no row: its pg-boss schedule (when it is this workspace's) goes too. */
export async function removeOrphanBossSchedule(workspaceId: string, id: string): Promise<void> {
  const boss = await getBoss();
  const held = await boss.getSchedule(fireSchedule.name, id);
  if ((held?.data as { workspaceId?: string } | undefined)?.workspaceId === workspaceId) {
    await boss.unschedule(fireSchedule.name, id);
  }
}

export async function reconcileBossSchedules() {
  const rows = await enabledSchedulesEverywhere(systemDb());
  const held = new Map((await allBossSchedules(fireSchedule.name)).map((s) => [s.key, s]));
  let installed = 0;
  let removed = 0;
  for (const row of rows) {
    const current = held.get(row.id);
    held.delete(row.id);
    const data = current?.data as { workspaceId?: string; scheduleId?: string } | undefined;
    const same =
      current &&
      current.cron === row.cron &&
      current.timezone === row.timeZone &&
      data?.workspaceId === row.workspaceId &&
      data?.scheduleId === row.id;
    if (same) continue;
    await syncBossSchedule({ ...row, enabled: true });
    installed++;
  }
  for (const key of held.keys()) {
    await removeBossSchedule(key);
    removed++;
  }
  if (installed || removed) logger.info({ installed, removed }, "schedules reconciled");
  return { installed, removed };
}
