import { z } from "zod";
import { errorKey } from "@/lib/error-ref";
import { BOT_KINDS } from "./bot-kinds";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM");

/** Pacing and limits, shared by create and update. `null` = no limit. */
export const botLimits = z.object({
  concurrency: z.number().int().min(1).max(64).default(4),
  ratePerSecond: z.number().positive().max(1000).nullable().default(null),
  ratePerMinute: z.number().int().positive().max(60_000).nullable().default(null),
  dailyCap: z.number().int().positive().max(10_000_000).nullable().default(null),
  dailyUniqueCap: z.number().int().positive().max(10_000_000).nullable().default(null),
  delayMinMs: z.number().int().min(0).max(600_000).default(0),
  delayMaxMs: z.number().int().min(0).max(600_000).default(0),
  quietStart: hhmm.nullable().default(null),
  quietEnd: hhmm.nullable().default(null),
});

const base = z.object({
  name: z.string().trim().min(2).max(80),
  kind: z.enum(BOT_KINDS),
  /** Non-secret settings per kind (validated again by the channel's schema). */
  config: z.record(z.string().max(64), z.unknown()).default({}),
  /** Secrets per kind; omitted on update = keep the stored ones. */
  credentials: z.record(z.string().max(64), z.string().max(4096)).optional(),
});

function checkLimits<T extends z.infer<typeof botLimits>>(v: T, ctx: z.RefinementCtx) {
  if (v.delayMaxMs < v.delayMinMs) {
    ctx.addIssue({
      code: "custom",
      path: ["delayMaxMs"],
      message: errorKey("bot.delayMaxBelowMin"),
    });
  }
  if ((v.quietStart === null) !== (v.quietEnd === null)) {
    ctx.addIssue({
      code: "custom",
      path: ["quietEnd"],
      message: errorKey("bot.quietHoursIncomplete"),
    });
  }
}

export const createBotInput = base.extend(botLimits.shape).superRefine(checkLimits);
export type CreateBotInput = z.infer<typeof createBotInput>;

export const updateBotInput = base
  .omit({ kind: true })
  .extend(botLimits.shape)
  .extend({ id: z.uuid() })
  .superRefine(checkLimits);
export type UpdateBotInput = z.infer<typeof updateBotInput>;

export const botIdInput = z.object({ id: z.uuid() });
export const listBotsInput = z.object({
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(5).max(100).default(50),
});

export const botView = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(["sandbox", "webhook", "whatsapp_cloud", "infobip", "agent"]),
  status: z.enum(["active", "paused", "disabled", "error"]),
  statusReason: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  hasCredentials: z.boolean(),
  /** Names of the stored credentials (`appSecret`, `webhookToken`…): never their values. */
  credentialsSet: z.array(z.string()),
  concurrency: z.number(),
  ratePerSecond: z.number().nullable(),
  ratePerMinute: z.number().nullable(),
  dailyCap: z.number().nullable(),
  dailyUniqueCap: z.number().nullable(),
  delayMinMs: z.number(),
  delayMaxMs: z.number(),
  quietStart: z.string().nullable(),
  quietEnd: z.string().nullable(),
  lastSeenAt: z.date().nullable(),
  createdAt: z.date(),
  sentToday: z.number(),
  failedToday: z.number(),
});
export type BotView = z.infer<typeof botView>;

/** The detail page's bot: its view plus sends and failures on each of the last days. */
export const botDetailView = botView.extend({
  lastDays: z.array(z.object({ day: z.string(), sent: z.number(), failed: z.number() })),
});
export type BotDetailView = z.infer<typeof botDetailView>;

/** Create/rotate answer: the only time a generated secret (webhook signing secret) is shown. */
export const botWithSecret = z.object({ bot: botView, secret: z.string().nullable() });
