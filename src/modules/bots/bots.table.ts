import { sql } from "drizzle-orm";
import {
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { ChannelConfig } from "@/modules/channels/channel.types";
import { timestamps } from "@/server/db/columns";
import { workspaces } from "@/modules/workspaces/workspaces.table";

export const botKind = pgEnum("bot_kind", [
  "sandbox",
  "webhook",
  "whatsapp_cloud",
  "infobip",
  "agent",
]);
export const botStatus = pgEnum("bot_status", ["active", "paused", "disabled", "error"]);

/**
 * A sender (or, later, a worker identity). Credentials are one AES-256-GCM token
 * (src/lib/crypto.ts) and never leave the server after creation; `config` holds the rest.
 * Pacing: messages per second / minute (GCRA in `bot_pacing`), a daily cap (the smaller of
 * `daily_cap` and the WhatsApp tier's `daily_unique_cap`), a random delay between sends, and
 * quiet hours in the workspace's time zone.
 */
export const bots = pgTable(
  "bot",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    kind: botKind().notNull(),
    status: botStatus().notNull().default("active"),
    /** Why the bot is paused/disabled/in error: an error code (`wa_368`, `http_410`…). */
    statusReason: text(),
    config: jsonb().$type<ChannelConfig>().notNull().default({}),
    credentials: text(),
    concurrency: integer().notNull().default(4),
    ratePerSecond: doublePrecision(),
    ratePerMinute: integer(),
    dailyCap: integer(),
    dailyUniqueCap: integer(),
    delayMinMs: integer().notNull().default(0),
    delayMaxMs: integer().notNull().default(0),
    /** "HH:MM" in the workspace's time zone; a window may wrap midnight (22:00–08:00). */
    quietStart: text(),
    quietEnd: text(),
    lastSeenAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("bot_workspace_name_key").on(t.workspaceId, sql`lower(${t.name})`),
    index("bot_workspace_idx").on(t.workspaceId, t.kind),
  ],
);

/**
 * Pacing state of one bot, shared by every worker process: the GCRA theoretical arrival time
 * (`tat`, advanced atomically by `UPDATE … RETURNING` when a worker reserves slots for its next
 * sends — no lock held across a provider call) and today's send count for the daily cap.
 */
export const botPacing = pgTable(
  "bot_pacing",
  {
    workspaceId: uuid().notNull(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    tat: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
    day: date({ mode: "string" }),
    dayCount: integer().notNull().default(0),
    /**
     * When the bot's last sends actually went (at most its per-second rate of them): each send
     * is admitted only when the oldest is over a second old, so late timers cannot bunch
     * sends into one second even though the GCRA slots are spaced right.
     */
    recent: timestamp({ withTimezone: true, mode: "date" })
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** The last admission's stamp, before `recordDeparture` moves it: the minimum gap's origin. */
    lastAdmit: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.botId] })],
);

export type Bot = typeof bots.$inferSelect;
export type BotKindValue = (typeof botKind.enumValues)[number];
export type BotStatusValue = (typeof botStatus.enumValues)[number];
