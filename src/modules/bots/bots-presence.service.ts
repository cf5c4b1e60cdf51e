/**
 * Which bots are online: heard from within ONLINE_WINDOW_MS — an agent's pull, heartbeat or
 * result, or a signed bot event (webhook) all stamp `last_seen_at`. A bot's status (active,
 * paused…) is what it may do, not whether anyone is there, so it does not count here; a
 * server-side bot (sandbox, Cloud API…) is never "seen" and so never online.
 */
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { ONLINE_WINDOW_MS } from "./agents.service";
import { bots } from "./bots.table";

export async function countBotsOnline({ tx, workspaceId }: { tx: Tx; workspaceId: string }) {
  const [row] = await tx
    .select({ n: count() })
    .from(bots)
    .where(
      and(
        eq(bots.workspaceId, workspaceId),
        gt(bots.lastSeenAt, sql`now() - make_interval(secs => ${ONLINE_WINDOW_MS / 1000})`),
      ),
    );
  return row?.n ?? 0;
}
