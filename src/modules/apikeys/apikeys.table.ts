import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users, workspaces } from "@/modules/workspaces/workspaces.table";

/** Workspace API keys for the REST API. Only a SHA-256 hash of the secret is stored. */
export const apiKeys = pgTable(
  "api_key",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: text().notNull(),
    keyHash: text().notNull(),
    scopes: text().array().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("api_key_hash_key").on(t.keyHash),
    index("api_key_workspace_idx").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
