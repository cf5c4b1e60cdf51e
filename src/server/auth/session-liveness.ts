import { eq } from "drizzle-orm";
import { systemDb } from "@/server/db/client";
import { authSessions } from "./auth-session.table";

/**
 * How long this process trusts "the session row exists" before asking the database again.
 * It bounds how long a session signed out through another web process keeps working here;
 * a sign-out served by this process takes effect at once (`forgetSession`).
 */
export const SESSION_CHECK_TTL_MS = 5_000;
// Enough for every active session of a busy web process; beyond it the oldest are dropped
// (and simply re-checked), so a flood of forged cookies cannot grow the map without bound.
const MAX_ENTRIES = 20_000;

type Entry = { alive: boolean; checkedAt: number };
type Cache = { known: Map<string, Entry>; pending: Map<string, Promise<boolean>> };
// One cache per process: Next bundles route handlers and pages separately, each with its own
// copy of this module, and a sign-out handled by one must be seen by all the others.
const cache: Cache = ((
  globalThis as { __salestrackSessionLiveness?: Cache }
).__salestrackSessionLiveness ??= { known: new Map(), pending: new Map() });
const { known, pending } = cache;

function remember(sessionId: string, entry: Entry) {
  known.delete(sessionId);
  known.set(sessionId, entry);
  if (known.size > MAX_ENTRIES) {
    const oldest = known.keys().next().value;
    if (oldest !== undefined) known.delete(oldest);
  }
}

async function lookup(sessionId: string): Promise<boolean> {
  const [row] = await systemDb()
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(eq(authSessions.id, sessionId))
    .limit(1);
  return !!row;
}

/**
 * Whether the session's `auth_session` row still exists: the cookie alone proves nothing
 * once the session was signed out. A missing row is remembered for good (ids are random and
 * never reused); concurrent checks of one session share one query.
 */
export async function isSessionAlive(sessionId: string, now = Date.now()): Promise<boolean> {
  const hit = known.get(sessionId);
  if (hit && (!hit.alive || now - hit.checkedAt < SESSION_CHECK_TTL_MS)) return hit.alive;
  const inFlight = pending.get(sessionId);
  if (inFlight) return inFlight;
  const check = lookup(sessionId)
    .then((alive) => {
      // A sign-out that landed while the query ran wins over its (older) answer.
      if (known.get(sessionId)?.alive === false) return false;
      remember(sessionId, { alive, checkedAt: now });
      return alive;
    })
    .finally(() => pending.delete(sessionId));
  pending.set(sessionId, check);
  return check;
}

/** Called when this process ends a session, so its own next request already sees it. */
export function forgetSession(sessionId: string) {
  remember(sessionId, { alive: false, checkedAt: Date.now() });
}
