import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "@/server/db/columns";
import { workspaces } from "@/modules/workspaces/workspaces.table";
import type { Audience, CampaignSchedule, CampaignTemplate } from "./campaign-definition";

const e164 = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });
const tstz = () => timestamp({ withTimezone: true, mode: "date" });

export const campaignStatus = pgEnum("campaign_status", [
  "draft",
  "scheduled",
  "running",
  "paused",
  "completed",
  "canceled",
  "failed",
]);
export const recipientStatus = pgEnum("recipient_status", [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "skipped",
  "canceled",
  "unknown",
]);
export const suppressionSource = pgEnum("suppression_source", [
  "inbound",
  "manual",
  "import",
  "api",
]);

/**
 * A campaign: audience, templates, bots and schedule. A recurring campaign is a definition
 * whose cron firings each create a run (a campaign with `parent_id`) that is launched at once.
 */
export const campaigns = pgTable(
  "campaign",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    status: campaignStatus().notNull().default("draft"),
    /** Why it paused/failed, as a code the UI translates (`failure_spike`, `wa_131048`…). */
    statusReason: text(),
    audience: jsonb().$type<Audience>().notNull(),
    templates: jsonb().$type<CampaignTemplate[]>().notNull(),
    botIds: uuid().array().notNull(),
    schedule: jsonb().$type<CampaignSchedule>().notNull().default({ type: "now" }),
    /** Overrides the workspace's cool-off (days) for this campaign; the reason is audited. */
    cooloffDays: integer(),
    cooloffReason: text(),
    /** Auto-pause when more than `failureRate` of the last `failureWindow` outcomes failed. */
    failureRate: integer().notNull().default(20),
    failureWindow: integer().notNull().default(50),
    parentId: uuid(),
    /** A recurring campaign's last fired occurrence, claimed with the run it created. */
    lastFiredSlot: tstz(),
    total: integer().notNull().default(0),
    createdBy: uuid(),
    launchedAt: tstz(),
    completedAt: tstz(),
    ...timestamps,
  },
  (t) => [
    index("campaign_workspace_created_idx").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    index("campaign_parent_idx")
      .on(t.workspaceId, t.parentId)
      .where(sql`${t.parentId} is not null`),
  ],
);

/**
 * One person in one campaign: a snapshot of who they were at launch (phone, name, attributes,
 * the group that brought them in), which bot and template serve them, and where the message
 * is. `batch` groups recipients into the `campaign.send` jobs. Built to be distributed by
 * workspace: `workspace_id` leads the key and every index.
 */
export const campaignRecipients = pgTable(
  "campaign_recipient",
  {
    workspaceId: uuid().notNull(),
    campaignId: uuid().notNull(),
    id: uuid().notNull(),
    contactId: uuid().notNull(),
    phone: e164().notNull(),
    nombre: text(),
    sustantivo: text(),
    attributes: jsonb().$type<Record<string, string>>().notNull().default({}),
    groupId: uuid(),
    groupName: text(),
    botId: uuid(),
    batch: integer().notNull().default(0),
    templateIndex: smallint().notNull().default(0),
    status: recipientStatus().notNull().default("queued"),
    /** Skip or failure reason code (`opted_out`, `cooloff`, `unresolved_variable`, `wa_131026`…). */
    errorCode: text(),
    attempts: smallint().notNull().default(0),
    nextAttemptAt: tstz(),
    /** `<jobId>:<retryCount>` of the send attempt that claimed it (crash recovery). */
    claimedBy: text(),
    providerMessageId: text(),
    sentAt: tstz(),
    deliveredAt: tstz(),
    readAt: tstz(),
    updatedAt: tstz().notNull().defaultNow(),
    /** Ended without a send (failed, skipped, canceled, unknown): the status filter's index. */
    unsent: boolean().generatedAlwaysAs(
      sql`status in ('failed', 'skipped', 'canceled', 'unknown')`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.campaignId, t.id] }),
    uniqueIndex("campaign_recipient_phone_key").on(t.workspaceId, t.campaignId, t.phone),
    // No index holds a column that a send or a receipt writes (`status`, the provider's id:
    // that one is looked up through the `sent` event), and the table keeps half of each page
    // free (fillfactor 50, drizzle/0029): claims, settles and receipts are HOT updates, with
    // no new index entries.
    index("campaign_recipient_batch_idx").on(t.workspaceId, t.campaignId, t.batch),
    // The statuses few rows hold, for the status filter: `unsent` keeps its value through
    // every write of the send path, so those stay HOT (drizzle/0030).
    index("campaign_recipient_unsent_idx")
      .on(t.workspaceId, t.campaignId, t.id)
      .where(sql`${t.unsent}`),
  ],
);

/**
 * Append-only timeline of every recipient (claimed, sent, failed, delivered, read, skipped,
 * canceled, inbound replies…). Range-partitioned by month on `occurred_at` (drizzle/0008),
 * so retention drops a partition.
 */
export const messageEvents = pgTable(
  "message_event",
  {
    workspaceId: uuid().notNull(),
    id: bigserial({ mode: "number" }).notNull(),
    occurredAt: tstz().notNull().defaultNow(),
    campaignId: uuid(),
    recipientId: uuid(),
    botId: uuid(),
    type: text().notNull(),
    code: text(),
    detail: jsonb().$type<Record<string, unknown>>(),
    /** On `sent` events: the provider's message id, for receipts that carry only that. */
    providerMessageId: text(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.occurredAt, t.id] }),
    index("message_event_campaign_idx").on(t.workspaceId, t.campaignId, t.occurredAt.desc()),
    index("message_event_failed_idx")
      .on(t.workspaceId, t.campaignId, t.occurredAt.desc())
      .where(sql`${t.type} = 'failed'`),
    index("message_event_provider_idx")
      .on(t.workspaceId, t.providerMessageId)
      .where(sql`${t.providerMessageId} is not null`),
  ],
);

/** Workspace + phone → when it was last messaged: the cool-off rule reads this. */
export const sendLedger = pgTable(
  "send_ledger",
  {
    workspaceId: uuid().notNull(),
    phone: e164().notNull(),
    lastSentAt: tstz().notNull(),
    campaignId: uuid(),
    recipientId: uuid(),
    /** The record a claim took over (see `claimRecipients`), restored if it is released unsent. */
    prevSentAt: tstz(),
    prevCampaignId: uuid(),
    prevRecipientId: uuid(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.phone] })],
);

/**
 * Phones that must never be messaged again (opted out). Keyed by phone, not contact: it
 * outlives deletion, re-creation and re-import, and is lifted only by an audited re-subscribe.
 */
export const suppressions = pgTable(
  "suppression",
  {
    workspaceId: uuid().notNull(),
    phone: e164().notNull(),
    source: suppressionSource().notNull(),
    reason: text(),
    createdBy: uuid(),
    createdAt: tstz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.phone] })],
);

/**
 * Hourly counters of message outcomes per workspace × campaign × bot × group × status, kept
 * by the send path with one upsert per (bucket, key) per batch. `group_id`/`bot_id` use the
 * nil uuid for "none" so they can be part of the key.
 */
export const campaignRollups = pgTable(
  "campaign_rollup",
  {
    workspaceId: uuid().notNull(),
    bucket: tstz().notNull(),
    campaignId: uuid().notNull(),
    botId: uuid().notNull(),
    groupId: uuid().notNull(),
    status: text().notNull(),
    /** Writers spread over shards (see rollups.ts); a key's count is the sum of its shards. */
    shard: smallint().notNull().default(0),
    count: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "campaign_rollup_pk",
      columns: [t.workspaceId, t.bucket, t.campaignId, t.botId, t.groupId, t.status, t.shard],
    }),
    index("campaign_rollup_campaign_idx").on(t.workspaceId, t.campaignId),
  ],
);

export type Campaign = typeof campaigns.$inferSelect;
export type CampaignStatus = (typeof campaignStatus.enumValues)[number];
export type RecipientStatus = (typeof recipientStatus.enumValues)[number];
export type CampaignRecipient = typeof campaignRecipients.$inferSelect;
