import { z } from "zod";
import { errorKey } from "@/lib/error-ref";

export const TASK_STATUSES = [
  "PENDING",
  "LEASED",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "CANCELED",
  "TIMED_OUT",
] as const;
export const TERMINAL_TASK_STATUSES = ["SUCCEEDED", "FAILED", "CANCELED", "TIMED_OUT"] as const;
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** The action campaigns create for `agent` bots: one message to one recipient. */
export const SEND_MESSAGE = "send_message";

/** Custom action names: lower-case, no spaces, never the built-in one. */
export const actionName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{1,63}$/, errorKey("task.actionName"));

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, errorKey("task.phoneE164"));

export const sendMessagePayload = z
  .object({
    campaignId: z.uuid(),
    recipientId: z.uuid(),
    to: e164,
    text: z.string().min(1).max(4096).optional(),
    template: z
      .object({
        name: z.string().min(1).max(512),
        language: z.string().min(2).max(15),
        params: z.array(z.string().max(1024)).max(100),
      })
      .optional(),
  })
  .refine((p) => p.text !== undefined || p.template !== undefined, {
    message: errorKey("task.textOrTemplate"),
    path: ["text"],
  });
export type SendMessagePayload = z.infer<typeof sendMessagePayload>;

const payload = z.record(z.string().max(128), z.unknown());

/** What a task is asked to do and how hard to try; shared by the UI, tRPC and services. */
export const taskSpec = z.object({
  botId: z.uuid(),
  action: z.union([z.literal(SEND_MESSAGE), actionName]),
  payload: payload.default({}),
  /** Higher first. */
  priority: z.number().int().min(-100).max(100).default(0),
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /** Per attempt, from the lease to the result. */
  timeoutSeconds: z.number().int().min(1).max(86_400).default(300),
  scheduledFor: z.coerce.date().optional(),
  /** Unique per workspace: the same key twice gives back the first task. */
  idempotencyKey: z.string().trim().min(1).max(200).optional(),
});
export type TaskSpec = z.infer<typeof taskSpec>;
export type TaskSpecInput = z.input<typeof taskSpec>;

export const listTasksInput = z.object({
  status: z.array(z.enum(TASK_STATUSES)).max(7).optional(),
  botId: z.uuid().optional(),
  action: z.string().max(64).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Keyset: the id of the last row of the previous page. */
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ListTasksInput = z.infer<typeof listTasksInput>;

export const taskIdInput = z.object({ id: z.uuid() });

export const taskView = z.object({
  id: z.uuid(),
  botId: z.uuid(),
  action: z.string(),
  payload: z.record(z.string(), z.unknown()),
  priority: z.number(),
  status: z.enum(TASK_STATUSES),
  attempts: z.number(),
  maxAttempts: z.number(),
  timeoutSeconds: z.number(),
  scheduledFor: z.date(),
  leaseExpiresAt: z.date().nullable(),
  idempotencyKey: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TaskView = z.infer<typeof taskView>;

export const taskEventView = z.object({
  id: z.number(),
  occurredAt: z.date(),
  type: z.string(),
  actorUserId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const defineActionInput = z.object({
  name: actionName.refine((n) => n !== SEND_MESSAGE, errorKey("task.sendMessageBuiltIn")),
  description: z.string().trim().max(500).optional(),
  /** A JSON Schema (draft 2020-12 subset) for the payload. */
  schema: z.record(z.string(), z.unknown()),
});
export type DefineActionInput = z.infer<typeof defineActionInput>;

export const listLogsInput = z.object({
  botId: z.uuid().optional(),
  taskId: z.uuid().optional(),
  levels: z.array(z.enum(LOG_LEVELS)).max(4).optional(),
  /** Full-text search over the message (words, all must match). */
  q: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Keyset: the last row of the previous page (older rows follow). */
  cursor: z.object({ occurredAt: z.coerce.date(), id: z.number().int() }).optional(),
  limit: z.number().int().min(1).max(200).default(100),
});
export type ListLogsInput = z.infer<typeof listLogsInput>;

export const logView = z.object({
  id: z.number(),
  occurredAt: z.date(),
  level: z.enum(LOG_LEVELS),
  message: z.string(),
  context: z.record(z.string(), z.unknown()).nullable(),
  botId: z.string().nullable(),
  taskId: z.string().nullable(),
});
export type LogView = z.infer<typeof logView>;
