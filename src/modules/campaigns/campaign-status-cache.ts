import { sql } from "drizzle-orm";
import { withTenant } from "@/server/db/tenant";
import type { CampaignStatus } from "./campaigns.table";

/**
 * A campaign's status as this process last read it, at most `TTL_MS` old: every in-flight
 * send checks it before each provider call, so pause and cancel take effect across workers
 * within a fraction of a second without a query per message.
 */
const TTL_MS = 250;
const cache = new Map<
  string,
  { status: CampaignStatus | null; at: number; pending?: Promise<CampaignStatus | null> }
>();

export async function campaignStatus(
  workspaceId: string,
  campaignId: string,
): Promise<CampaignStatus | null> {
  const hit = cache.get(campaignId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.status;
  if (hit?.pending) return hit.pending;
  // Bounded: entries of campaigns no longer sent from this process are dropped as they age.
  if (cache.size > 1000) {
    for (const [id, entry] of cache)
      if (!entry.pending && Date.now() - entry.at > TTL_MS) cache.delete(id);
  }
  const pending = withTenant({ workspaceId }, async (tx) => {
    const { rows } = await tx.execute<{ status: CampaignStatus }>(
      sql`select status from campaign where workspace_id = ${workspaceId} and id = ${campaignId}`,
    );
    return rows[0]?.status ?? null;
  });
  cache.set(campaignId, { status: hit?.status ?? null, at: hit?.at ?? 0, pending });
  try {
    const status = await pending;
    cache.set(campaignId, { status, at: Date.now() });
    return status;
  } catch (err) {
    cache.delete(campaignId);
    throw err;
  }
}

/** Forget a status this process just changed (so its own next check reads it fresh). */
export function forgetCampaignStatus(campaignId: string) {
  cache.delete(campaignId);
}
