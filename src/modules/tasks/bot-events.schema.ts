import { z } from "zod";
import { LOG_LEVELS } from "./tasks.schema";

const taskId = z.uuid();
const shortText = z.string().max(2000);
/**
 * Which attempt of the task a call is for: the `attempt` of the pulled task. Optional to the
 * parser so that a call without it is refused like a stale one (409 `task.attemptMissing`):
 * an agent that does not say its attempt must stop, not retry a 400.
 */
const attempt = z
  .number()
  .int()
  .min(1)
  .max(2_147_483_647)
  .optional()
  .describe(
    "Required: the `attempt` of the pulled task this call is for. Missing, or an attempt that already ended (the task was requeued and leased again): 409, stop working on it.",
  );

/**
 * What an agent posts to `/api/webhooks/bots/{botId}`, signed per Standard Webhooks:
 * `{ "type": …, "timestamp"?: ISO, "data": {…} }`.
 */
export const botEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("TASK_STARTED"), data: z.object({ taskId, attempt }) }),
  z.object({
    type: z.literal("TASK_PROGRESS"),
    data: z.object({
      taskId,
      attempt,
      progress: z.number().min(0).max(100).optional(),
      message: shortText.optional(),
    }),
  }),
  z.object({
    type: z.literal("TASK_LOG"),
    data: z.object({
      taskId: taskId.optional(),
      level: z.enum(LOG_LEVELS).default("info"),
      message: z.string().min(1).max(8000),
      context: z.record(z.string().max(128), z.unknown()).optional(),
    }),
  }),
  z.object({
    type: z.literal("TASK_SUCCEEDED"),
    data: z.object({
      taskId,
      attempt,
      providerMessageId: z.string().max(256).optional(),
      output: z.record(z.string().max(128), z.unknown()).optional(),
    }),
  }),
  z.object({
    type: z.literal("TASK_FAILED"),
    data: z.object({
      taskId,
      attempt,
      error: z.string().min(1).max(200),
      message: shortText.optional(),
      retryable: z.boolean().optional(),
    }),
  }),
  z.object({
    type: z.literal("MESSAGE_RECEIVED"),
    data: z.object({
      from: z.string().regex(/^\+[1-9]\d{6,14}$/),
      text: z.string().max(4096),
      providerMessageId: z.string().max(256).optional(),
    }),
  }),
  z.object({
    type: z.literal("HEARTBEAT"),
    data: z.object({ status: z.string().max(200).optional() }).default({}),
  }),
]);
export type BotEvent = z.infer<typeof botEvent>;
export const BOT_EVENT_TYPES = botEvent.options.map((o) => o.shape.type.value);

/** The agent API's bodies. */
export const pullInput = z.object({
  limit: z.number().int().min(1).max(100).default(1),
  /** Which of the bot's processes asks (recorded as the lease owner). */
  worker: z.string().trim().min(1).max(64).default("agent"),
});

/** `attempt` is required in effect: without it the call is refused (409), see `attempt`. */
export const heartbeatInput = z.object({ attempt });

export const resultInput = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    attempt,
    providerMessageId: z.string().max(256).optional(),
    output: z.record(z.string().max(128), z.unknown()).optional(),
  }),
  z.object({
    ok: z.literal(false),
    attempt,
    error: z.string().min(1).max(200),
    message: z.string().max(2000).optional(),
    /** false: do not retry even if attempts remain (a permanent error). */
    retryable: z.boolean().optional(),
  }),
]);

/** The agent API's answers (the OpenAPI document is generated from these). */
export const leasedTaskView = z.object({
  id: z.uuid(),
  action: z.string(),
  payload: z.record(z.string(), z.unknown()),
  priority: z.number().int(),
  attempt: z
    .number()
    .int()
    .describe(
      "1 on the first attempt. Send it back with every heartbeat, result and TASK_* event for this task.",
    ),
  maxAttempts: z.number().int(),
  timeoutSeconds: z.number().int().describe("From the lease to the result, per attempt."),
  leaseExpiresAt: z.date().describe("Heartbeat before this, or the task is requeued."),
  notBefore: z.date().describe("Paced bots: do not start the task before this instant."),
});
export const pullAnswer = z.object({
  tasks: z.array(leasedTaskView),
  retryAfterSeconds: z
    .number()
    .int()
    .nullable()
    .describe("Set when nothing may be leased for a while (paused bot, quiet hours, daily cap)."),
});
export const heartbeatAnswer = z.object({ status: z.string(), leaseExpiresAt: z.date() });
export const resultAnswer = z.object({
  id: z.uuid(),
  status: z.string(),
  attempts: z.number().int(),
  changed: z.boolean().describe("false: the task had already ended; nothing changed."),
});
export const eventAnswer = z.object({
  received: z.literal(true),
  duplicate: z.boolean().describe("true: this webhook-id was accepted before; nothing changed."),
});
