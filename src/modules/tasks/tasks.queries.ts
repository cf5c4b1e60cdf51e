import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import type { ListTasksInput } from "./tasks.schema";
import { botTasks, taskActions, taskEvents, type BotTask, type TaskEvent } from "./tasks.table";

const scoped = (workspaceId: string, id: string) =>
  and(eq(botTasks.workspaceId, workspaceId), eq(botTasks.id, id));

export type NewTask = typeof botTasks.$inferInsert;
export type NewTaskEvent = typeof taskEvents.$inferInsert;

/**
 * Inserts tasks; one whose idempotency key is taken is skipped (the returned rows are the
 * ones inserted, so callers can tell new from existing).
 */
export async function insertTasks(tx: Tx, rows: NewTask[]): Promise<BotTask[]> {
  if (rows.length === 0) return [];
  return tx
    .insert(botTasks)
    .values(rows)
    .onConflictDoNothing({
      target: [botTasks.workspaceId, botTasks.idempotencyKey],
      where: sql`${botTasks.idempotencyKey} is not null`,
    })
    .returning();
}

export async function findTasksByIdempotencyKeys(
  tx: Tx,
  workspaceId: string,
  keys: string[],
): Promise<BotTask[]> {
  if (keys.length === 0) return [];
  return tx
    .select()
    .from(botTasks)
    .where(and(eq(botTasks.workspaceId, workspaceId), inArray(botTasks.idempotencyKey, keys)));
}

export async function findTask(
  tx: Tx,
  workspaceId: string,
  id: string,
  { lock = false } = {},
): Promise<BotTask | null> {
  const query = tx.select().from(botTasks).where(scoped(workspaceId, id));
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function updateTask(
  tx: Tx,
  workspaceId: string,
  id: string,
  patch: Partial<NewTask>,
): Promise<BotTask> {
  const [row] = await tx
    .update(botTasks)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(scoped(workspaceId, id))
    .returning();
  return row!;
}

export async function findTasksPage(
  tx: Tx,
  workspaceId: string,
  input: ListTasksInput,
): Promise<BotTask[]> {
  const where: SQL[] = [eq(botTasks.workspaceId, workspaceId)];
  if (input.status?.length) where.push(inArray(botTasks.status, input.status));
  if (input.botId) where.push(eq(botTasks.botId, input.botId));
  if (input.action) where.push(eq(botTasks.action, input.action));
  if (input.from) where.push(gte(botTasks.createdAt, input.from));
  if (input.to) where.push(lte(botTasks.createdAt, input.to));
  if (input.cursor) where.push(lt(botTasks.id, input.cursor));
  return tx
    .select()
    .from(botTasks)
    .where(and(...where))
    .orderBy(desc(botTasks.id))
    .limit(input.limit + 1);
}

export async function insertTaskEvents(tx: Tx, rows: NewTaskEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(taskEvents).values(rows);
}

export async function findTaskEvents(
  tx: Tx,
  workspaceId: string,
  taskId: string,
): Promise<TaskEvent[]> {
  return tx
    .select()
    .from(taskEvents)
    .where(and(eq(taskEvents.workspaceId, workspaceId), eq(taskEvents.taskId, taskId)))
    .orderBy(taskEvents.occurredAt, taskEvents.id)
    .limit(1000);
}

export async function findTaskAction(tx: Tx, workspaceId: string, name: string) {
  const [row] = await tx
    .select()
    .from(taskActions)
    .where(and(eq(taskActions.workspaceId, workspaceId), eq(taskActions.name, name)));
  return row ?? null;
}

export async function findTaskActions(tx: Tx, workspaceId: string) {
  return tx
    .select()
    .from(taskActions)
    .where(eq(taskActions.workspaceId, workspaceId))
    .orderBy(taskActions.name);
}

export async function upsertTaskAction(tx: Tx, row: typeof taskActions.$inferInsert) {
  const [saved] = await tx
    .insert(taskActions)
    .values(row)
    .onConflictDoUpdate({
      target: [taskActions.workspaceId, taskActions.name],
      set: { description: row.description, schema: row.schema, updatedAt: sql`now()` },
    })
    .returning();
  return saved!;
}

export async function deleteTaskAction(tx: Tx, workspaceId: string, name: string) {
  const rows = await tx
    .delete(taskActions)
    .where(and(eq(taskActions.workspaceId, workspaceId), eq(taskActions.name, name)))
    .returning({ name: taskActions.name });
  return rows.length > 0;
}

/** One notification per transaction and workspace (Postgres folds identical ones). */
export async function notifyBotActivity(tx: Tx, workspaceId: string): Promise<void> {
  await tx.execute(sql`select pg_notify('bot_activity', ${workspaceId})`);
}
