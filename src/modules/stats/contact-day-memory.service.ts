/**
 * The contact-days this process holds per workspace (contact-day-memory.ts): filled in the
 * background on a workspace's first period view of top contacts, extended as days close, dropped
 * when the workspace's generation moves, least recently used first when over `MAX_HELD`.
 * A view the memory cannot answer yet is summed in Postgres, as before it.
 */
import { logger } from "@/lib/logger";
import { withTenant, type Tx } from "@/server/db/tenant";
import { ContactDayMemory, dayNumber, type ContactSort } from "./contact-day-memory";
import { firstContactDay, readClosedHead, readPackedDays } from "./contact-day-memory.queries";

/** Contact-days held across workspaces (about 24 bytes each, plus each contact's id once). */
export const MAX_HELD = 6_000_000;
/** Days read per statement while filling: under ~50 ms of parsing at a time at 10M events. */
const CHUNK_DAYS = 3;
/** A workspace with more contact-days than `MAX_HELD` is tried again after this long. */
const RETRY_TOO_LARGE_MS = 60 * 60_000;

/** Least recently used first (a use re-inserts). */
const held = new Map<string, ContactDayMemory>();
const filling = new Set<string>();
const tooLarge = new Map<string, number>();
let enabled = true;

/** Turns holding off (and drops what is held) or on again: benchmarks time the Postgres path. */
export function holdContactDays(on: boolean) {
  enabled = on;
  if (!on) held.clear();
}

/**
 * The page of contact ids and the period's contact count from memory, or null when this
 * process holds no current copy of the workspace's days (a fill is then started).
 */
export async function rankHeldContactDays(
  tx: Tx,
  workspaceId: string,
  q: {
    from: string;
    to: string;
    sort: ContactSort;
    groupId?: string;
    limit: number;
    offset: number;
  },
): Promise<{ ids: string[]; total: number } | null> {
  if (!enabled) return null;
  const head = await readClosedHead(tx, workspaceId);
  if (!head) return null;
  const memory = held.get(workspaceId);
  if (!memory || memory.gen !== head.gen) {
    held.delete(workspaceId);
    holdSoon(workspaceId);
    return null;
  }
  held.delete(workspaceId);
  held.set(workspaceId, memory);
  if (head.closedTo > memory.closedTo) holdSoon(workspaceId);
  const from = dayNumber(q.from);
  const to = dayNumber(q.to);
  const live =
    to > memory.closedTo
      ? await readPackedDays(tx, workspaceId, { from: Math.max(from, memory.closedTo + 1), to })
      : [];
  return memory.rank({ ...q, from, to, live });
}

/** Fills or extends the workspace's days in the background; one run per workspace at a time. */
function holdSoon(workspaceId: string) {
  if (filling.has(workspaceId) || (tooLarge.get(workspaceId) ?? 0) > Date.now()) return;
  filling.add(workspaceId);
  withTenant({ workspaceId }, (tx) => fill(tx, workspaceId), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  })
    .catch((err: unknown) =>
      logger.warn({ err: (err as Error).message, workspaceId }, "holding contact-days failed"),
    )
    .finally(() => filling.delete(workspaceId));
}

/**
 * Reads the days the workspace's memory lacks, from one snapshot: the generation read with
 * them is the one they belong to. A new memory is held once complete; a held one is extended
 * chunk by chunk (a view reads only days up to its `closedTo`).
 */
async function fill(tx: Tx, workspaceId: string) {
  const head = await readClosedHead(tx, workspaceId);
  if (!head || !enabled) return;
  let memory = held.get(workspaceId);
  const fresh = !memory || memory.gen !== head.gen;
  if (fresh) {
    held.delete(workspaceId);
    const first = await firstContactDay(tx, workspaceId);
    memory = new ContactDayMemory(head.gen, first === null ? head.closedTo : first - 1);
  }
  const m = memory!;
  const others = () => [...held.values()].reduce((n, o) => (o === m ? n : n + o.size), 0);
  for (let from = m.closedTo + 1; from <= head.closedTo; from += CHUNK_DAYS) {
    const to = Math.min(from + CHUNK_DAYS - 1, head.closedTo);
    for (const day of await readPackedDays(tx, workspaceId, { from, to })) m.addDay(day);
    if (m.size > MAX_HELD) {
      held.delete(workspaceId);
      tooLarge.set(workspaceId, Date.now() + RETRY_TOO_LARGE_MS);
      logger.info({ workspaceId, contactDays: m.size }, "too many contact-days to hold");
      return;
    }
    m.closedTo = to;
  }
  m.closedTo = head.closedTo;
  if (!enabled) return;
  held.set(workspaceId, m);
  for (const [id, other] of held) {
    if (others() + m.size <= MAX_HELD) break;
    if (other !== m) held.delete(id);
  }
}

/** Resolves once this process's fills have ended (tests, benchmarks). */
export async function contactDayFillsSettled(): Promise<void> {
  while (filling.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}
