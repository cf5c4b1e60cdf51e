/**
 * Tasks: units of work handed to `agent` bots. Created from the UI, the API, schedules or
 * campaigns (`createSendTasks`); leased and settled by agents (lease.service.ts); cancelled
 * and retried by people (audited).
 */
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { uuidv7 } from "@/lib/uuid-v7";
import { recordAudit } from "@/modules/audit/audit.service";
import { getBot } from "@/modules/bots/bots.service";
import type { Tx } from "@/server/db/tenant";
import { runSettledHandlers } from "./settle-hooks";
import { validatePayload } from "./task-actions";
import {
  findTask,
  findTaskEvents,
  findTasksByIdempotencyKeys,
  findTasksPage,
  insertTaskEvents,
  insertTasks,
  notifyBotActivity,
  updateTask,
  type NewTask,
} from "./tasks.queries";
import {
  SEND_MESSAGE,
  TERMINAL_TASK_STATUSES,
  sendMessagePayload,
  type ListTasksInput,
  type SendMessagePayload,
  type TaskSpec,
  type TaskView,
} from "./tasks.schema";
import type { BotTask } from "./tasks.table";

type Scope = { tx: Tx; workspaceId: string };
type Actor = Scope & { actorUserId: string | null; meta: RequestMeta | null };

export function toTaskView(task: BotTask): TaskView {
  return {
    id: task.id,
    botId: task.botId,
    action: task.action,
    payload: task.payload,
    priority: task.priority,
    status: task.status,
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    timeoutSeconds: task.timeoutSeconds,
    scheduledFor: task.scheduledFor,
    leaseExpiresAt: task.leaseExpiresAt,
    idempotencyKey: task.idempotencyKey,
    result: task.result,
    error: task.error,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

export const isTerminal = (status: BotTask["status"]) =>
  (TERMINAL_TASK_STATUSES as readonly string[]).includes(status);

async function assertAgentBot(tx: Tx, workspaceId: string, botId: string) {
  const bot = await getBot({ tx, workspaceId, id: botId });
  if (bot.kind !== "agent") {
    throw new AppError("BAD_REQUEST", "task.agentBotsOnly", { field: "botId" });
  }
}

function rowOf(workspaceId: string, spec: TaskSpec, createdBy: string | null): NewTask {
  return {
    workspaceId,
    id: uuidv7(),
    botId: spec.botId,
    action: spec.action,
    payload: spec.payload,
    priority: spec.priority,
    maxAttempts: spec.maxAttempts,
    timeoutSeconds: spec.timeoutSeconds,
    scheduledFor: spec.scheduledFor,
    idempotencyKey: spec.idempotencyKey ?? null,
    createdBy,
  };
}

/** One task; with an idempotency key already used, the existing task (`created: false`). */
export async function createTask({
  tx,
  workspaceId,
  actorUserId,
  spec,
}: Scope & { actorUserId: string | null; spec: TaskSpec }): Promise<{
  task: BotTask;
  created: boolean;
}> {
  await assertAgentBot(tx, workspaceId, spec.botId);
  const payload = await validatePayload(tx, workspaceId, spec.action, spec.payload);
  const [task] = await insertTasks(tx, [rowOf(workspaceId, { ...spec, payload }, actorUserId)]);
  if (!task) {
    const [existing] = await findTasksByIdempotencyKeys(tx, workspaceId, [spec.idempotencyKey!]);
    return { task: existing!, created: false };
  }
  await insertTaskEvents(tx, [
    { workspaceId, taskId: task.id, botId: task.botId, type: "created", actorUserId },
  ]);
  await notifyBotActivity(tx, workspaceId);
  return { task, created: true };
}

export type SendTaskInput = SendMessagePayload & {
  botId: string;
  priority?: number;
  maxAttempts?: number;
  timeoutSeconds?: number;
  scheduledFor?: Date;
};

/**
 * The campaigns bridge: one `send_message` task per recipient, in the caller's transaction.
 * Idempotent per recipient (key `send_message:<recipientId>`): a retried batch creates nothing
 * twice. Returns the ids of the tasks it created.
 */
export async function createSendTasks({
  tx,
  workspaceId,
  sends,
}: Scope & { sends: SendTaskInput[] }): Promise<string[]> {
  if (sends.length === 0) return [];
  for (const botId of new Set(sends.map((s) => s.botId))) {
    await assertAgentBot(tx, workspaceId, botId);
  }
  const rows = sends.map(({ botId, priority, maxAttempts, timeoutSeconds, scheduledFor, ...p }) => {
    const payload = sendMessagePayload.parse(p);
    return {
      workspaceId,
      id: uuidv7(),
      botId,
      action: SEND_MESSAGE,
      payload,
      priority: priority ?? 0,
      maxAttempts: maxAttempts ?? 3,
      timeoutSeconds: timeoutSeconds ?? 300,
      scheduledFor,
      idempotencyKey: `${SEND_MESSAGE}:${payload.recipientId}`,
    } satisfies NewTask;
  });
  const created = await insertTasks(tx, rows);
  await insertTaskEvents(
    tx,
    created.map((t) => ({ workspaceId, taskId: t.id, botId: t.botId, type: "created" })),
  );
  if (created.length) await notifyBotActivity(tx, workspaceId);
  return created.map((t) => t.id);
}

export async function listTasks({ tx, workspaceId, input }: Scope & { input: ListTasksInput }) {
  const rows = await findTasksPage(tx, workspaceId, input);
  const page = rows.slice(0, input.limit);
  return {
    rows: page.map(toTaskView),
    nextCursor: rows.length > input.limit ? page.at(-1)!.id : null,
  };
}

export async function getTask({ tx, workspaceId, id }: Scope & { id: string }) {
  const task = await findTask(tx, workspaceId, id);
  if (!task) throw new AppError("NOT_FOUND", "task.notFound");
  const events = await findTaskEvents(tx, workspaceId, id);
  return {
    task: toTaskView(task),
    events: events.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt,
      type: e.type,
      actorUserId: e.actorUserId,
      detail: e.detail,
    })),
  };
}

/** Pending or in flight → CANCELED (audited); an agent's later result changes nothing. */
export async function cancelTask({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
}: Actor & { id: string }) {
  const before = await findTask(tx, workspaceId, id, { lock: true });
  if (!before) throw new AppError("NOT_FOUND", "task.notFound");
  if (isTerminal(before.status)) {
    throw new AppError("CONFLICT", "task.alreadyFinished", { params: { status: before.status } });
  }
  const task = await updateTask(tx, workspaceId, id, {
    status: "CANCELED",
    error: "canceled",
    leaseOwner: null,
    leaseExpiresAt: null,
    finishedAt: new Date(),
  });
  await insertTaskEvents(tx, [
    { workspaceId, taskId: id, botId: task.botId, type: "canceled", actorUserId },
  ]);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "task.canceled",
    target: { type: "bot_task", id },
    before: { status: before.status },
    after: { status: "CANCELED" },
  });
  await runSettledHandlers(tx, [
    {
      workspaceId,
      id,
      botId: task.botId,
      action: task.action,
      payload: task.payload,
      status: "CANCELED",
      result: null,
      error: "canceled",
      attempts: task.attempts,
    },
  ]);
  await notifyBotActivity(tx, workspaceId);
  return task;
}

/** A failed, timed-out or cancelled task runs again from its first attempt (audited). */
export async function retryTask({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
}: Actor & { id: string }) {
  const before = await findTask(tx, workspaceId, id, { lock: true });
  if (!before) throw new AppError("NOT_FOUND", "task.notFound");
  if (before.action === SEND_MESSAGE) {
    // Its recipient was settled with the task; a second send would break "exactly once".
    throw new AppError("CONFLICT", "task.messageRetriedByCampaign");
  }
  if (!["FAILED", "TIMED_OUT", "CANCELED"].includes(before.status)) {
    throw new AppError("CONFLICT", "task.notRetryable", { params: { status: before.status } });
  }
  const task = await updateTask(tx, workspaceId, id, {
    status: "PENDING",
    attempts: 0,
    scheduledFor: new Date(),
    error: null,
    result: null,
    finishedAt: null,
  });
  await insertTaskEvents(tx, [
    { workspaceId, taskId: id, botId: task.botId, type: "retried", actorUserId },
  ]);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "task.retried",
    target: { type: "bot_task", id },
    before: { status: before.status, attempts: before.attempts },
    after: { status: "PENDING" },
  });
  await notifyBotActivity(tx, workspaceId);
  return task;
}
