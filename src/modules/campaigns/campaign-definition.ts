import { z } from "zod";
import { cronExpression } from "@/modules/schedules/schedules.schema";

/**
 * What a campaign is made of, validated the same way by the builder, the REST API and the
 * database (jsonb columns). Text bodies and WhatsApp parameters may use `{{variable}}` and
 * `{{variable|fallback}}`.
 */
export const textTemplate = z.object({
  kind: z.literal("text"),
  body: z.string().trim().min(1).max(4096),
});
export const whatsappTemplate = z.object({
  kind: z.literal("whatsapp"),
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,512}$/),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
  params: z.array(z.string().max(1024)).max(20),
});
export const campaignTemplate = z.discriminatedUnion("kind", [textTemplate, whatsappTemplate]);
export type CampaignTemplate = z.infer<typeof campaignTemplate>;

export const audience = z.object({
  groupIds: z.array(z.uuid()).max(50).default([]),
  excludeGroupIds: z.array(z.uuid()).max(50).default([]),
  /** Contacts' source (csv/manual/api); empty = any. */
  sources: z
    .array(z.enum(["csv", "manual", "api"]))
    .max(3)
    .default([]),
});
export type Audience = z.infer<typeof audience>;

export const campaignSchedule = z.discriminatedUnion("type", [
  z.object({ type: z.literal("now") }),
  /** A wall-clock date/time in the workspace's time zone ("2026-12-24T09:30"). */
  z.object({
    type: z.literal("at"),
    at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
  }),
  /**
   * Five fields, evaluated in the workspace's time zone: the schedules module's rule, so an
   * expression pg-boss would refuse (or an RRULE) is a 400 with `schedule.cronFields` /
   * `schedule.cronInvalid` on `schedule.cron`, never a launch that fails half-way.
   */
  z.object({ type: z.literal("cron"), cron: cronExpression }),
]);
export type CampaignSchedule = z.infer<typeof campaignSchedule>;
