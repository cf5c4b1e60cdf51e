import { sql } from "drizzle-orm";
import {
  boolean,
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
    // Who manages the membership's existence: `sso` ones come and go with the user's
    // Keycloak group (never removed in-app); `manual` (invitations) and `owner` ones in-app.
    source: membershipSource().notNull().default("manual"),
    /** An admin set the role in-app: sign-ins no longer sync it from the token. */
    rolePinned: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index("membership_user_idx").on(t.userId),
  ],
);

/**
 * An in-app removal, remembered so that the user's next SSO sign-in does not add them back
 * through a Keycloak group. Cleared when they accept a new invitation.
 */
export const membershipRemovals = pgTable(
  "membership_removal",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    removedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

/**
 * An invitation to join a workspace: the link's token is shown once and only its SHA-256 is
 * kept. Pending = neither accepted nor revoked; at most one pending per workspace and email.
 */
export const invitations = pgTable(
  "invitation",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Lower-cased; only a user signed in with this address can accept. */
    email: text().notNull(),
    role: memberRole().notNull(),
    tokenHash: text().notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("invitation_token_hash_key").on(t.tokenHash),
    uniqueIndex("invitation_pending_email_key")
      .on(t.workspaceId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index("invitation_workspace_created_idx").on(t.workspaceId, t.createdAt),
  ],
);

export type User = typeof users.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type MemberRole = (typeof memberRole.enumValues)[number];
