import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "@/modules/workspaces/workspaces.table";
import { timestamps } from "@/server/db/columns";

/**
 * Provider tokens live here, not in the session cookie: it keeps the cookie far under 4 KB
 * and lets sign-out revoke them. The cookie's JWT only carries this row's id.
 *
 * The token columns hold sealed values (`encryptSecret`, bound to the row id and column;
 * token-store.ts seals and opens them), never the tokens themselves. Only the owner role
 * reads or writes this table: the app role has no grant and no policy (drizzle/0009).
 */
export const authSessions = pgTable("auth_session", {
  id: text().primaryKey(),
  userId: uuid()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  accessToken: text().notNull(),
  refreshToken: text(),
  idToken: text(),
  accessTokenExpiresAt: timestamp({ withTimezone: true }).notNull(),
  ...timestamps,
});

export type AuthSession = typeof authSessions.$inferSelect;
