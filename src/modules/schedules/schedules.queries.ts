import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { schedules, type NewSchedule, type Schedule } from "./schedules.table";

const own = (workspaceId: string, id: string) =>
  and(eq(schedules.workspaceId, workspaceId), eq(schedules.id, id));

export function findSchedules(tx: Tx, workspaceId: string): Promise<Schedule[]> {
  return tx
    .select()
    .from(schedules)
    .where(eq(schedules.workspaceId, workspaceId))
    .orderBy(asc(schedules.name))
    .limit(500);
}

export async function findSchedule(
  tx: Tx,
  workspaceId: string,
  id: string,
  { lock = false } = {},
): Promise<Schedule | null> {
  const query = tx.select().from(schedules).where(own(workspaceId, id));
  const [row] = await (lock ? query.for("update") : query);
  return row ?? null;
}

/** Null when the name is taken in the workspace. */
export async function insertSchedule(tx: Tx, values: NewSchedule): Promise<Schedule | null> {
  const [row] = await tx.insert(schedules).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function nameTaken(tx: Tx, workspaceId: string, name: string, exceptId?: string) {
  const rows = await tx
    .select({ id: schedules.id })
    .from(schedules)
    .where(and(eq(schedules.workspaceId, workspaceId), eq(schedules.name, name)));
  return rows.some((r) => r.id !== exceptId);
}

export async function updateScheduleRow(
  tx: Tx,
  workspaceId: string,
  id: string,
  values: Partial<NewSchedule>,
): Promise<Schedule> {
  const [row] = await tx.update(schedules).set(values).where(own(workspaceId, id)).returning();
  return row!;
}

export async function deleteScheduleRow(tx: Tx, workspaceId: string, id: string) {
  await tx.delete(schedules).where(own(workspaceId, id));
}

/**
 * Claims one slot of an enabled schedule: true for the one firing that moves
 * `last_fired_slot` forward to it. A second firing of the same slot (another worker,
 * pg-boss delivering twice) waits on the row lock, then finds the slot taken. The caller
 * has already refused a slot before the first occurrence after the last one (DST repeats).
 */
export async function claimSlot(tx: Tx, workspaceId: string, id: string, slot: Date) {
  const rows = await tx
    .update(schedules)
    .set({ lastFiredSlot: slot, lastFiredAt: sql`now()`, updatedAt: sql`updated_at` })
    .where(
      and(
        own(workspaceId, id),
        eq(schedules.enabled, true),
        or(isNull(schedules.lastFiredSlot), lt(schedules.lastFiredSlot, slot)),
      ),
    )
    .returning({ id: schedules.id });
  return rows.length === 1;
}

export async function recordFiring(
  tx: Tx,
  workspaceId: string,
  id: string,
  outcome: { lastRunId: string | null; lastError: string | null },
) {
  await tx
    .update(schedules)
    .set({ ...outcome, updatedAt: sql`updated_at` })
    .where(own(workspaceId, id));
}

/** The database's clock: the one pg-boss decides an occurrence is due by. */
export async function databaseNow(tx: Tx): Promise<Date> {
  const { rows } = await tx.execute<{ now: string | Date }>(sql`select clock_timestamp() as now`);
  return new Date(rows[0]!.now);
}

/** Every enabled schedule of every workspace, as the owner: what pg-boss should hold. */
export function enabledSchedulesEverywhere(db: Database) {
  return db
    .select({
      workspaceId: schedules.workspaceId,
      id: schedules.id,
      cron: schedules.cron,
      timeZone: schedules.timeZone,
    })
    .from(schedules)
    .where(eq(schedules.enabled, true));
}
