import { z } from "zod";
import { errorKey } from "@/lib/error-ref";
import { cronProblem, isTimeZone, normalizeCron } from "./cron-preview";

/**
 * The five-field cron rule (what cron-parser, and so pg-boss, evaluates), stored normalized.
 * Also the rule of a recurring campaign's cron (campaigns/campaign-definition.ts): pg-boss
 * takes RRULEs too, which SalesTrack neither previews nor fires per slot. `overwrite` rather
 * than `transform` keeps the schema a plain string in the OpenAPI document.
 */
export const cronExpression = z
  .string()
  .max(120)
  .superRefine((cron, ctx) => {
    const problem = cronProblem(cron);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .overwrite(normalizeCron);

export const timeZone = z.string().max(64).refine(isTimeZone, errorKey("schedule.timeZoneInvalid"));

/** Strings in a task payload template may hold `{{slot}}` (ISO time) and `{{schedule}}` (name). */
const taskTarget = z.object({
  kind: z.literal("task"),
  botId: z.uuid(),
  action: z.string().trim().min(1).max(64),
  payload: z.record(z.string().max(128), z.unknown()).default({}),
  priority: z.number().int().min(-100).max(100).default(0),
  timeoutSeconds: z.number().int().min(1).max(86_400).default(300),
  maxAttempts: z.number().int().min(1).max(20).default(3),
});

const campaignTarget = z.object({ kind: z.literal("campaign"), campaignId: z.uuid() });

export const scheduleTarget = z.discriminatedUnion("kind", [taskTarget, campaignTarget]);
export type ScheduleTarget = z.infer<typeof scheduleTarget>;
export type TaskScheduleTarget = z.infer<typeof taskTarget>;

export const scheduleInput = z.object({
  name: z.string().trim().min(1).max(120),
  cron: cronExpression,
  timeZone,
  enabled: z.boolean().default(true),
  target: scheduleTarget,
});
export type ScheduleInput = z.infer<typeof scheduleInput>;

export const scheduleIdInput = z.object({ id: z.uuid() });
export const updateScheduleInput = scheduleInput.extend({ id: z.uuid() });
export const setEnabledInput = z.object({ id: z.uuid(), enabled: z.boolean() });
/** The reader's language, for cronstrue's reading of each expression. */
export const readerLocale = z.enum(["es", "en"]).default("es");
export const listSchedulesInput = z.object({ locale: readerLocale });

export const scheduleView = z.object({
  id: z.uuid(),
  name: z.string(),
  cron: z.string(),
  timeZone: z.string(),
  enabled: z.boolean(),
  target: scheduleTarget,
  /** cronstrue's reading in the reader's language; null when it cannot read the expression. */
  description: z.string().nullable(),
  nextRuns: z.array(z.date()),
  lastFiredSlot: z.date().nullable(),
  lastFiredAt: z.date().nullable(),
  lastRunId: z.uuid().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ScheduleView = z.infer<typeof scheduleView>;
