import { z } from "zod";
import { LOG_LEVELS } from "./tasks.schema";

const taskId = z.uuid();
const shortText = z.string().max(2000);

/**
 * What an agent posts to `/api/webhooks/bots/{botId}`, signed per Standard Webhooks:
 * `{ "type": …, "timestamp"?: ISO, "data": {…} }`.
 */
export const botEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("TASK_STARTED"), data: z.object({ taskId }) }),
  z.object({
    type: z.literal("TASK_PROGRESS"),
    data: z.object({
      taskId,
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
      providerMessageId: z.string().max(256).optional(),
      output: z.record(z.string().max(128), z.unknown()).optional(),
    }),
  }),
  z.object({
    type: z.literal("TASK_FAILED"),
    data: z.object({
      taskId,
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

export const resultInput = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    providerMessageId: z.string().max(256).optional(),
    output: z.record(z.string().max(128), z.unknown()).optional(),
  }),
  z.object({
    ok: z.literal(false),
    error: z.string().min(1).max(200),
    message: z.string().max(2000).optional(),
    /** false: do not retry even if attempts remain (a permanent error). */
    retryable: z.boolean().optional(),
  }),
]);
