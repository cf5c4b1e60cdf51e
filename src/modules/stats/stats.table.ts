import {
  bigint,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

const tstz = () => timestamp({ withTimezone: true, mode: "date" });

/**
 * Message events counted per 15-minute UTC bucket × campaign × bot × group × event type ×
 * reason code, folded from message_event by the `stats.fold` job (never written per message).
 * 15 minutes is the finest offset step of any time zone, so local hours are exact everywhere.
 * `bot_id`/`group_id` use the nil uuid for "none"; `code` is '' when the event has none.
 */
export const statsQuarters = pgTable(
  "stats_quarter",
  {
    workspaceId: uuid().notNull(),
    bucket: tstz().notNull(),
    campaignId: uuid().notNull(),
    botId: uuid().notNull(),
    groupId: uuid().notNull(),
    status: text().notNull(),
    code: text().notNull().default(""),
    count: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "stats_quarter_pk",
      columns: [t.workspaceId, t.bucket, t.campaignId, t.botId, t.groupId, t.status, t.code],
    }),
    index("stats_quarter_campaign_idx").on(t.workspaceId, t.campaignId, t.bucket),
  ],
);

/** The same counters per day of the workspace's own time zone (days, months, KPIs). */
export const statsDays = pgTable(
  "stats_day",
  {
    workspaceId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    campaignId: uuid().notNull(),
    botId: uuid().notNull(),
    groupId: uuid().notNull(),
    status: text().notNull(),
    code: text().notNull().default(""),
    count: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "stats_day_pk",
      columns: [t.workspaceId, t.day, t.campaignId, t.botId, t.groupId, t.status, t.code],
    }),
    index("stats_day_campaign_idx").on(t.workspaceId, t.campaignId, t.day),
  ],
);

/**
 * The group a fold's upsert replaced (null when it inserted the row): returned by the upsert
 * so the fold can move the contact between groups' counts without reading the row again.
 */
const prevGroup = () => ({ prevGroupId: uuid() });

/** The per-contact counters: group, phone and name of the latest event, counts, last time. */
const contactCounters = () => ({
  groupId: uuid().notNull(),
  phone: text().notNull(),
  nombre: text(),
  sent: bigint({ mode: "number" }).notNull().default(0),
  failed: bigint({ mode: "number" }).notNull().default(0),
  delivered: bigint({ mode: "number" }).notNull().default(0),
  read: bigint({ mode: "number" }).notNull().default(0),
  lastAt: tstz().notNull(),
});

/**
 * All-time totals per contact; `group_id`, `phone` and `nombre` are those of its latest event's
 * recipient (the snapshot it was messaged as), so the table needs no lookup of contacts.
 */
export const statsContacts = pgTable(
  "stats_contact",
  {
    workspaceId: uuid().notNull(),
    contactId: uuid().notNull(),
    ...contactCounters(),
    ...prevGroup(),
  },
  (t) => [
    primaryKey({ name: "stats_contact_pk", columns: [t.workspaceId, t.contactId] }),
    index("stats_contact_sent_idx").on(t.workspaceId, t.sent.desc(), t.contactId),
    index("stats_contact_failed_idx").on(t.workspaceId, t.failed.desc(), t.contactId),
    index("stats_contact_last_idx").on(t.workspaceId, t.lastAt.desc(), t.contactId),
  ],
);

/**
 * The same per-contact totals per day of the workspace's zone, for top contacts over a period;
 * `group_id`, `phone` and `nombre` are those of the contact's latest event that day.
 */
export const statsContactDays = pgTable(
  "stats_contact_day",
  {
    workspaceId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    contactId: uuid().notNull(),
    ...contactCounters(),
  },
  (t) => [
    primaryKey({ name: "stats_contact_day_pk", columns: [t.workspaceId, t.day, t.contactId] }),
    index("stats_contact_day_contact_idx").on(t.workspaceId, t.contactId, t.day),
  ],
);

/**
 * Per-contact totals of the dashboard's preset periods that end on the workspace's current
 * local day (`stats_fold.window_day`), keyed by the period's first day (`since`): today, the
 * last 7 and 30 days, this month. Read in index order, so a page of top contacts over a preset
 * costs the same at any volume; folded with the events, recomputed when the day changes.
 */
export const statsContactWindows = pgTable(
  "stats_contact_window",
  {
    workspaceId: uuid().notNull(),
    since: date({ mode: "string" }).notNull(),
    contactId: uuid().notNull(),
    ...contactCounters(),
    ...prevGroup(),
  },
  (t) => [
    primaryKey({ name: "stats_contact_window_pk", columns: [t.workspaceId, t.since, t.contactId] }),
    index("stats_contact_window_sent_idx").on(t.workspaceId, t.since, t.sent.desc(), t.contactId),
    index("stats_contact_window_failed_idx").on(
      t.workspaceId,
      t.since,
      t.failed.desc(),
      t.contactId,
    ),
    index("stats_contact_window_last_idx").on(t.workspaceId, t.since, t.lastAt.desc(), t.contactId),
    // A group's page in the order of each sort (`limit + offset` entries, as without a group).
    index("stats_contact_window_group_sent_idx").on(
      t.workspaceId,
      t.since,
      t.groupId,
      t.sent.desc(),
      t.contactId,
    ),
    index("stats_contact_window_group_failed_idx").on(
      t.workspaceId,
      t.since,
      t.groupId,
      t.failed.desc(),
      t.contactId,
    ),
    index("stats_contact_window_group_last_idx").on(
      t.workspaceId,
      t.since,
      t.groupId,
      t.lastAt.desc(),
      t.contactId,
    ),
  ],
);

/**
 * Custom periods (first and last local day) whose top contacts are kept per contact in
 * `stats_contact_range`: created by the period's first view, dropped when unused for a day or
 * beyond the 16 most recently viewed of the workspace (`used_at`), and by a rebuild.
 */
export const statsRanges = pgTable(
  "stats_range",
  {
    workspaceId: uuid().notNull(),
    dayFrom: date({ mode: "string" }).notNull(),
    dayTo: date({ mode: "string" }).notNull(),
    usedAt: tstz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "stats_range_pk", columns: [t.workspaceId, t.dayFrom, t.dayTo] })],
);

/**
 * Per-contact totals of each kept custom period, read in index order like the windows; a
 * period's rows are dropped with its `stats_range` row, by the same statement.
 */
export const statsContactRanges = pgTable(
  "stats_contact_range",
  {
    workspaceId: uuid().notNull(),
    dayFrom: date({ mode: "string" }).notNull(),
    dayTo: date({ mode: "string" }).notNull(),
    contactId: uuid().notNull(),
    ...contactCounters(),
    ...prevGroup(),
  },
  (t) => [
    primaryKey({
      name: "stats_contact_range_pk",
      columns: [t.workspaceId, t.dayFrom, t.dayTo, t.contactId],
    }),
    index("stats_contact_range_sent_idx").on(
      t.workspaceId,
      t.dayFrom,
      t.dayTo,
      t.sent.desc(),
      t.contactId,
    ),
    index("stats_contact_range_failed_idx").on(
      t.workspaceId,
      t.dayFrom,
      t.dayTo,
      t.failed.desc(),
      t.contactId,
    ),
    index("stats_contact_range_last_idx").on(
      t.workspaceId,
      t.dayFrom,
      t.dayTo,
      t.lastAt.desc(),
      t.contactId,
    ),
    index("stats_contact_range_group_sent_idx").on(
      t.workspaceId,
      t.dayFrom,
      t.dayTo,
      t.groupId,
      t.sent.desc(),
      t.contactId,
    ),
    index("stats_contact_range_group_failed_idx").on(
      t.workspaceId,
      t.dayFrom,
      t.dayTo,
      t.groupId,
      t.failed.desc(),
      t.contactId,
    ),
    index("stats_contact_range_group_last_idx").on(
      t.workspaceId,
      t.dayFrom,
      t.dayTo,
      t.groupId,
      t.lastAt.desc(),
      t.contactId,
    ),
  ],
);

/**
 * How many contacts each per-contact table holds per group (of the contact's latest message):
 * `scope` is `all` (`stats_contact`), `since:<day>` (a preset window) or `range:<from>:<to>`
 * (a kept custom period). Written with those tables, under the workspace's fold lock.
 */
export const statsContactCounts = pgTable(
  "stats_contact_count",
  {
    workspaceId: uuid().notNull(),
    scope: text().notNull(),
    groupId: uuid().notNull(),
    contacts: integer().notNull(),
  },
  (t) => [
    primaryKey({ name: "stats_contact_count_pk", columns: [t.workspaceId, t.scope, t.groupId] }),
  ],
);

/**
 * Bot task outcomes (task events `succeeded`, `failed`, `timed_out`, `canceled`) per local
 * day × bot × action × final status; `timed` of them had started, their durations (first
 * start to outcome) summing to `duration_ms`.
 */
export const statsTaskDays = pgTable(
  "stats_task_day",
  {
    workspaceId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    botId: uuid().notNull(),
    action: text().notNull(),
    status: text().notNull(),
    count: bigint({ mode: "number" }).notNull().default(0),
    timed: bigint({ mode: "number" }).notNull().default(0),
    durationMs: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "stats_task_day_pk",
      columns: [t.workspaceId, t.day, t.botId, t.action, t.status],
    }),
  ],
);

/**
 * Where each workspace's fold stands: the snapshot (`pg_current_snapshot()` as text) its last
 * fold saw — the next fold takes exactly the events that snapshot did not — and the time zone
 * its days were cut in (a change rebuilds them); `closedGen` moves on whenever contact-days two
 * or more days back change (see `contact-day-memory.ts`).
 */
export const statsFolds = pgTable("stats_fold", {
  workspaceId: uuid().primaryKey(),
  snapshot: text(),
  timeZone: text().notNull(),
  foldedAt: tstz().notNull().defaultNow(),
  windowDay: date({ mode: "string" }),
  closedGen: bigint({ mode: "number" }).notNull().default(0),
});
