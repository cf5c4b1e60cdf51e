import { sql } from "drizzle-orm";
import {
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "@/server/db/columns";

export const memberRole = pgEnum("member_role", ["admin", "operator", "viewer"]);
export const membershipSource = pgEnum("membership_source", ["sso", "manual", "owner"]);

/** A person who signed in through Keycloak; `sub` is the stable identity. Not tenant data. */
export const users = pgTable(
  "user",
  {
    id: uuid().primaryKey().defaultRandom(),
    sub: text().notNull(),
    email: text(),
    name: text(),
    lastLoginAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("user_sub_key").on(t.sub),
    index("user_email_idx").on(sql`lower(${t.email})`),
  ],
);

export const workspaces = pgTable(
  "workspace",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull(),
    name: text().notNull(),
    defaultCountry: text().notNull().default("PY"),
    timeZone: text().notNull().default("America/Asuncion"),
    /** Never message the same phone again within this many days (0 = no cool-off). */
    cooloffDays: integer().notNull().default(7),
    /** Inbound replies that opt the sender out (matched case- and accent-insensitively). */
    optOutKeywords: text()
      .array()
      .notNull()
      .default(sql`'{STOP,BAJA,"NO MAS",UNSUBSCRIBE}'::text[]`),
    ...timestamps,
  },
  (t) => [uniqueIndex("workspace_slug_key").on(t.slug)],
);

export const memberships = pgTable(
  "membership",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole().notNull(),
    // `sso` memberships follow Keycloak roles at each sign-in; a manual change pins them.
    source: membershipSource().notNull().default("manual"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index("membership_user_idx").on(t.userId),
  ],
);

export type User = typeof users.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type MemberRole = (typeof memberRole.enumValues)[number];
