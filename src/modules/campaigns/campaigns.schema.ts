import { z } from "zod";
import { errorKey } from "@/lib/error-ref";
import { audience, campaignSchedule, campaignTemplate } from "./campaign-definition";

const definition = z.object({
  audience,
  templates: z.array(campaignTemplate).min(1, errorKey("campaign.templateRequired")).max(10),
  botIds: z.array(z.uuid()).min(1, errorKey("campaign.botRequired")).max(10),
  /** Overrides the workspace's cool-off; needs a reason (audited). */
  cooloffDays: z.number().int().min(0).max(365).nullable().default(null),
  cooloffReason: z.string().trim().max(500).nullable().default(null),
});

function checkOverride(
  v: { cooloffDays: number | null; cooloffReason: string | null },
  ctx: z.RefinementCtx,
) {
  if (v.cooloffDays !== null && !v.cooloffReason?.trim()) {
    ctx.addIssue({
      code: "custom",
      path: ["cooloffReason"],
      message: errorKey("campaign.cooloffReasonRequired"),
    });
  }
}

export const campaignDefinitionInput = definition.superRefine(checkOverride);
export type CampaignDefinitionInput = z.infer<typeof campaignDefinitionInput>;

export const createCampaignInput = definition
  .extend({
    name: z.string().trim().min(2).max(120),
    schedule: campaignSchedule.default({ type: "now" }),
    failureRate: z.number().int().min(1).max(100).default(20),
    failureWindow: z.number().int().min(10).max(1000).default(50),
  })
  .superRefine(checkOverride);
export type CreateCampaignInput = z.infer<typeof createCampaignInput>;

export const updateCampaignInput = definition
  .extend({
    id: z.uuid(),
    name: z.string().trim().min(2).max(120),
    schedule: campaignSchedule.default({ type: "now" }),
    failureRate: z.number().int().min(1).max(100).default(20),
    failureWindow: z.number().int().min(10).max(1000).default(50),
  })
  .superRefine(checkOverride);
export type UpdateCampaignInput = z.infer<typeof updateCampaignInput>;

export const campaignIdInput = z.object({ id: z.uuid() });

export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "running",
  "paused",
  "completed",
  "canceled",
  "failed",
] as const;
export const RECIPIENT_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "skipped",
  "canceled",
  "unknown",
] as const;

export const listCampaignsInput = z.object({
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(5).max(100).default(20),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  /** Only the runs of this recurring campaign. */
  parentId: z.uuid().optional(),
});
export type ListCampaignsInput = z.infer<typeof listCampaignsInput>;

export const listRecipientsInput = z.object({
  campaignId: z.uuid(),
  status: z.enum(RECIPIENT_STATUSES).optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(5).max(200).default(50),
});
export type ListRecipientsInput = z.infer<typeof listRecipientsInput>;

export const templatePreviewInput = z.object({
  template: campaignTemplate,
  contactId: z.uuid().optional(),
});

/** Outcome counters of a campaign (from its rollups). `sent` includes delivered and read. */
export const campaignCounts = z.object({
  total: z.number(),
  pending: z.number(),
  sent: z.number(),
  delivered: z.number(),
  read: z.number(),
  failed: z.number(),
  skipped: z.number(),
  canceled: z.number(),
  unknown: z.number(),
});
export type CampaignCounts = z.infer<typeof campaignCounts>;

export const campaignView = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  statusReason: z.string().nullable(),
  audience,
  templates: z.array(campaignTemplate),
  botIds: z.array(z.uuid()),
  schedule: campaignSchedule,
  cooloffDays: z.number().nullable(),
  cooloffReason: z.string().nullable(),
  failureRate: z.number(),
  failureWindow: z.number(),
  parentId: z.uuid().nullable(),
  counts: campaignCounts,
  launchedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CampaignView = z.infer<typeof campaignView>;

export const recipientView = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  phone: z.string(),
  nombre: z.string().nullable(),
  groupName: z.string().nullable(),
  botId: z.uuid().nullable(),
  templateIndex: z.number(),
  status: z.enum(RECIPIENT_STATUSES),
  errorCode: z.string().nullable(),
  attempts: z.number(),
  providerMessageId: z.string().nullable(),
  sentAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
  readAt: z.date().nullable(),
  updatedAt: z.date(),
});
export type RecipientView = z.infer<typeof recipientView>;

/** What a launch would do: audience size, skips by reason, and how long the bots need. */
export const campaignPreview = z.object({
  audience: z.number(),
  willSend: z.number(),
  skipped: z.object({
    opted_out: z.number(),
    cooloff: z.number(),
    unresolved_variable: z.number(),
  }),
  estimatedSeconds: z.number().nullable(),
});
export type CampaignPreview = z.infer<typeof campaignPreview>;
