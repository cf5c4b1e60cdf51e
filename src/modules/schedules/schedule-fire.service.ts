/**
 * A schedule's firing. The occurrence a firing belongs to (its slot) is the latest one at or
 * before the moment it runs, by the database's clock (pg-boss's, so a worker whose clock lags
 * never files a firing under the previous occurrence); the firing claims that slot on the
 * locked row and creates its target in the same transaction, so a slot fires once however
 * many workers or pg-boss deliveries reach it. A slot is claimable only at or after the first
 * `next()` occurrence following `last_fired_slot` (cron-preview.ts `slotClaimable`): the
 * repeated wall time of the autumn DST night, which pg-boss delivers twice, fires once. A task
 * also carries the idempotency key `schedule:<id>:<slot ISO>`, unique per workspace, as a
 * second wall.
 */
import { AppError } from "@/lib/errors";
import { queueCampaignRun, startCampaignRun } from "@/modules/campaigns/campaign-runs.service";
import { createTask } from "@/modules/tasks/tasks.service";
import { withTenant, type Tx } from "@/server/db/tenant";
import { slotAt, slotClaimable } from "./cron-preview";
import { renderTemplate } from "./payload-template";
import type { TaskScheduleTarget } from "./schedules.schema";
import { claimSlot, databaseNow, findSchedule, recordFiring } from "./schedules.queries";
import type { Schedule } from "./schedules.table";
import { removeOrphanBossSchedule } from "./schedule-sync";

export type FireOutcome =
  | { outcome: "missing" | "disabled" }
  | { outcome: "duplicate"; slot: string }
  | { outcome: "failed"; slot: string; error: string }
  | { outcome: "created"; slot: string; kind: "task" | "campaign"; id: string };

async function createTarget(tx: Tx, schedule: Schedule, slot: Date) {
  const { workspaceId, id, target } = schedule;
  if (target.kind === "campaign") {
    const run = await startCampaignRun({
      tx,
      workspaceId,
      campaignId: target.campaignId,
      scheduleId: id,
    });
    return { kind: "campaign" as const, id: run.id };
  }
  const { botId, action, payload, priority, timeoutSeconds, maxAttempts }: TaskScheduleTarget =
    target;
  const { task } = await createTask({
    tx,
    workspaceId,
    actorUserId: null,
    spec: {
      botId,
      action,
      payload: renderTemplate(payload, {
        slot: slot.toISOString(),
        schedule: schedule.name,
      }) as Record<string, unknown>,
      priority,
      timeoutSeconds,
      maxAttempts,
      idempotencyKey: `schedule:${id}:${slot.toISOString()}`,
    },
  });
  return { kind: "task" as const, id: task.id };
}

export async function fireScheduleSlot({
  workspaceId,
  scheduleId,
  at,
}: {
  workspaceId: string;
  scheduleId: string;
  /** When the firing happens; the database's clock when left out (tests pass their own). */
  at?: Date;
}): Promise<FireOutcome> {
  const result = await withTenant({ workspaceId }, async (tx): Promise<FireOutcome> => {
    // Locked: concurrent firings are judged one after the other against the slot the one
    // before them claimed (a compare-and-set alone could refuse a newer slot racing an older).
    const schedule = await findSchedule(tx, workspaceId, scheduleId, { lock: true });
    if (!schedule) return { outcome: "missing" };
    if (!schedule.enabled) return { outcome: "disabled" };
    const { cron, timeZone, lastFiredSlot } = schedule;
    const slot = slotAt(cron, timeZone, at ?? (await databaseNow(tx)));
    if (
      !slotClaimable(cron, timeZone, lastFiredSlot, slot) ||
      !(await claimSlot(tx, workspaceId, scheduleId, slot))
    ) {
      return { outcome: "duplicate", slot: slot.toISOString() };
    }
    try {
      // A savepoint: a target that cannot be created (bot deleted, payload no longer valid)
      // leaves the slot claimed with the error recorded, rather than retried every delivery.
      const created = await tx.transaction((inner) => createTarget(inner, schedule, slot));
      await recordFiring(tx, workspaceId, scheduleId, { lastRunId: created.id, lastError: null });
      return { outcome: "created", slot: slot.toISOString(), ...created };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await recordFiring(tx, workspaceId, scheduleId, { lastRunId: null, lastError: err.key });
      return { outcome: "failed", slot: slot.toISOString(), error: err.key };
    }
  });
  // A pg-boss schedule whose row is gone fires no more.
  if (result.outcome === "missing") await removeOrphanBossSchedule(workspaceId, scheduleId);
  if (result.outcome === "created" && result.kind === "campaign") {
    await queueCampaignRun(workspaceId, result.id);
  }
  return result;
}
