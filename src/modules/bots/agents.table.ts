import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "@/server/db/columns";
import { bots } from "./bots.table";

const tstz = () => timestamp({ withTimezone: true, mode: "date" });

/**
 * Settings of an `agent` bot (docs/agents.md): where its signed events may come from, how
 * long they stay valid, and how long a lease lasts without a heartbeat.
 */
export const botAgents = pgTable(
  "bot_agent",
  {
    workspaceId: uuid().notNull(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    /** Addresses or CIDR ranges; empty = any. */
    ipAllowlist: text()
      .array()
      .notNull()
      .default(sql`'{}'`),
    eventWindowSeconds: integer().notNull().default(300),
    leaseSeconds: integer().notNull().default(60),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.botId] })],
);

/**
 * An agent's secrets (AES-256-GCM): the current one (`expires_at` null) and, during a
 * rotation's overlap, the previous one until it expires.
 */
export const botAgentSecrets = pgTable(
  "bot_agent_secret",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    secret: text().notNull(),
    expiresAt: tstz(),
    createdAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("bot_agent_secret_bot_idx").on(t.botId),
  ],
);

/** `webhook-id`s already accepted from a bot: a replay is acknowledged and ignored. */
export const botEventReceipts = pgTable(
  "bot_event_receipt",
  {
    workspaceId: uuid().notNull(),
    botId: uuid().notNull(),
    webhookId: text().notNull(),
    receivedAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.botId, t.webhookId] }),
    index("bot_event_receipt_received_idx").on(t.receivedAt),
  ],
);

export type BotAgent = typeof botAgents.$inferSelect;
export type BotAgentSecret = typeof botAgentSecrets.$inferSelect;
