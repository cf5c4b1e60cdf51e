import { lt } from "drizzle-orm";
import { systemDb } from "@/server/db/client";
import { authSessions } from "./auth-session.table";

// Matches the next-auth session lifetime: older provider tokens can no longer be used.
const MAX_AGE_MS = 10 * 60 * 60 * 1000;

/** Deletes the stored sessions idle for longer than a session lives; returns how many. */
export async function deleteExpiredSessions(): Promise<number> {
  const cutoff = new Date(Date.now() - MAX_AGE_MS);
  const removed = await systemDb()
    .delete(authSessions)
    .where(lt(authSessions.updatedAt, cutoff))
    .returning({ id: authSessions.id });
  return removed.length;
}

/**
 * Retention: deletes stored sessions (provider tokens) signed in more than `maxAgeDays` ago,
 * however recently used — the user signs in again. Returns how many.
 */
export async function deleteSessionsOlderThan(maxAgeDays: number): Promise<number> {
  const cutoff = new Date(Date.now() - maxAgeDays * 86_400_000);
  const removed = await systemDb()
    .delete(authSessions)
    .where(lt(authSessions.createdAt, cutoff))
    .returning({ id: authSessions.id });
  return removed.length;
}
