/**
 * Schedules: a cron (+ time zone) that creates a bot task from a template or launches a run
 * of a saved campaign. Every write is audited and keeps pg-boss in step inside the same
 * transaction (schedule-sync.ts): a pg-boss failure rolls the row back; a failed commit
 * after it leaves drift that the fire job and the reconcile job undo.
 */
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { uuidv7 } from "@/lib/uuid-v7";
import { recordAudit } from "@/modules/audit/audit.service";
import { requireCampaign } from "@/modules/campaigns/campaigns.service";
import { getBot } from "@/modules/bots/bots.service";
import { validatePayload } from "@/modules/tasks/task-actions";
import type { Tx } from "@/server/db/tenant";
import { describeCron, nextRuns } from "./cron-preview";
import { renderTemplate } from "./payload-template";
import { removeBossSchedule, syncBossSchedule } from "./schedule-sync";
import type { ScheduleInput, ScheduleTarget, ScheduleView } from "./schedules.schema";
import {
  deleteScheduleRow,
  findSchedule,
  findSchedules,
  insertSchedule,
  nameTaken,
  updateScheduleRow,
} from "./schedules.queries";
import type { Schedule } from "./schedules.table";

type Scope = { tx: Tx; workspaceId: string };
type Actor = Scope & { actorUserId: string; meta: RequestMeta | null };

export function toScheduleView(s: Schedule, locale: "es" | "en", now = new Date()): ScheduleView {
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    timeZone: s.timeZone,
    enabled: s.enabled,
    target: s.target,
    description: describeCron(s.cron, locale),
    nextRuns: s.enabled ? nextRuns(s.cron, s.timeZone, now) : [],
    lastFiredSlot: s.lastFiredSlot,
    lastFiredAt: s.lastFiredAt,
    lastRunId: s.lastRunId,
    lastError: s.lastError,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** The target exists in the workspace; a task template must pass its action's schema. */
async function checkTarget(tx: Tx, workspaceId: string, name: string, target: ScheduleTarget) {
  if (target.kind === "campaign") {
    await requireCampaign(tx, workspaceId, target.campaignId);
    return;
  }
  const bot = await getBot({ tx, workspaceId, id: target.botId });
  if (bot.kind !== "agent") {
    throw new AppError("BAD_REQUEST", "task.agentBotsOnly", { field: "target.botId" });
  }
  const sample = renderTemplate(target.payload, { slot: new Date().toISOString(), schedule: name });
  await validatePayload(tx, workspaceId, target.action, sample as Record<string, unknown>);
}

async function requireSchedule(tx: Tx, workspaceId: string, id: string, lock = false) {
  const row = await findSchedule(tx, workspaceId, id, { lock });
  if (!row) throw new AppError("NOT_FOUND", "schedule.notFound");
  return row;
}

const audited = (s: Schedule) => ({
  name: s.name,
  cron: s.cron,
  timeZone: s.timeZone,
  enabled: s.enabled,
  target: s.target,
});

export async function listSchedules({ tx, workspaceId, locale }: Scope & { locale: "es" | "en" }) {
  const now = new Date();
  return (await findSchedules(tx, workspaceId)).map((s) => toScheduleView(s, locale, now));
}

export async function getSchedule({ tx, workspaceId, id }: Scope & { id: string }) {
  return requireSchedule(tx, workspaceId, id);
}

export async function createSchedule({
  tx,
  workspaceId,
  actorUserId,
  meta,
  input,
}: Actor & { input: ScheduleInput }): Promise<Schedule> {
  await checkTarget(tx, workspaceId, input.name, input.target);
  const row = await insertSchedule(tx, {
    workspaceId,
    id: uuidv7(),
    ...input,
    createdBy: actorUserId,
  });
  if (!row) throw new AppError("CONFLICT", "schedule.nameTaken", { field: "name" });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "schedule.created",
    target: { type: "schedule", id: row.id },
    after: audited(row),
  });
  await syncBossSchedule(row);
  return row;
}

export async function updateSchedule({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
  input,
}: Actor & { id: string; input: ScheduleInput }): Promise<Schedule> {
  const before = await requireSchedule(tx, workspaceId, id, true);
  if (await nameTaken(tx, workspaceId, input.name, id)) {
    throw new AppError("CONFLICT", "schedule.nameTaken", { field: "name" });
  }
  await checkTarget(tx, workspaceId, input.name, input.target);
  const row = await updateScheduleRow(tx, workspaceId, id, input);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "schedule.updated",
    target: { type: "schedule", id },
    before: audited(before),
    after: audited(row),
  });
  await syncBossSchedule(row);
  return row;
}

export async function setScheduleEnabled({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
  enabled,
}: Actor & { id: string; enabled: boolean }): Promise<Schedule> {
  const before = await requireSchedule(tx, workspaceId, id, true);
  if (before.enabled === enabled) return before;
  const row = await updateScheduleRow(tx, workspaceId, id, { enabled });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: enabled ? "schedule.enabled" : "schedule.disabled",
    target: { type: "schedule", id },
    before: { enabled: before.enabled },
    after: { enabled },
  });
  await syncBossSchedule(row);
  return row;
}

export async function deleteSchedule({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
}: Actor & { id: string }) {
  const before = await requireSchedule(tx, workspaceId, id, true);
  await deleteScheduleRow(tx, workspaceId, id);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "schedule.deleted",
    target: { type: "schedule", id },
    before: audited(before),
  });
  await removeBossSchedule(id);
}
