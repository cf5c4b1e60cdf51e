import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import type { CampaignCounts } from "./campaigns.schema";
import {
  campaignRecipients,
  campaignRollups,
  campaigns,
  messageEvents,
  type Campaign,
  type CampaignStatus,
  type RecipientStatus,
} from "./campaigns.table";

const scoped = (workspaceId: string, id: string) =>
  and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id));

export async function insertCampaign(
  tx: Tx,
  values: typeof campaigns.$inferInsert,
): Promise<Campaign> {
  const [row] = await tx.insert(campaigns).values(values).returning();
  return row!;
}

export async function findCampaign(
  tx: Tx,
  workspaceId: string,
  id: string,
): Promise<Campaign | null> {
  const [row] = await tx.select().from(campaigns).where(scoped(workspaceId, id));
  return row ?? null;
}

export async function lockCampaign(
  tx: Tx,
  workspaceId: string,
  id: string,
): Promise<Campaign | null> {
  const [row] = await tx.select().from(campaigns).where(scoped(workspaceId, id)).for("update");
  return row ?? null;
}

export async function updateCampaignRow(
  tx: Tx,
  workspaceId: string,
  id: string,
  patch: Partial<typeof campaigns.$inferInsert>,
): Promise<Campaign | null> {
  const [row] = await tx.update(campaigns).set(patch).where(scoped(workspaceId, id)).returning();
  return row ?? null;
}

/** Compare-and-set of the status: null when the campaign was not in one of `from`. */
export async function transitionCampaign(
  tx: Tx,
  workspaceId: string,
  id: string,
  from: CampaignStatus[],
  patch: Partial<typeof campaigns.$inferInsert> & { status: CampaignStatus },
): Promise<Campaign | null> {
  const [row] = await tx
    .update(campaigns)
    .set(patch)
    .where(and(scoped(workspaceId, id), inArray(campaigns.status, from)))
    .returning();
  return row ?? null;
}

export async function deleteCampaignRow(tx: Tx, workspaceId: string, id: string): Promise<void> {
  await tx.delete(campaigns).where(scoped(workspaceId, id));
}

export async function findCampaignsPage(
  tx: Tx,
  workspaceId: string,
  {
    page,
    pageSize,
    status,
    parentId,
  }: { page: number; pageSize: number; status?: CampaignStatus; parentId?: string },
): Promise<{ rows: Campaign[]; total: number }> {
  const where = and(
    eq(campaigns.workspaceId, workspaceId),
    status ? eq(campaigns.status, status) : undefined,
    parentId ? eq(campaigns.parentId, parentId) : undefined,
  );
  // One after the other: both run on the transaction's one connection.
  const rows = await tx
    .select()
    .from(campaigns)
    .where(where)
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [totalRow] = await tx.select({ n: count() }).from(campaigns).where(where);
  return { rows, total: totalRow?.n ?? 0 };
}

export const EMPTY_COUNTS: CampaignCounts = {
  total: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  skipped: 0,
  canceled: 0,
  unknown: 0,
};

/**
 * Counters of many campaigns from their rollups (a few rows per campaign and hour), never
 * from the recipients. `queued` counts everyone materialized to send; the pending share is
 * what has not reached a final outcome yet.
 */
export async function countsByCampaign(
  tx: Tx,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, CampaignCounts>> {
  const out = new Map<string, CampaignCounts>();
  if (ids.length === 0) return out;
  const rows = await tx
    .select({
      campaignId: campaignRollups.campaignId,
      status: campaignRollups.status,
      n: sql<number>`sum(${campaignRollups.count})::float8`,
    })
    .from(campaignRollups)
    .where(
      and(eq(campaignRollups.workspaceId, workspaceId), inArray(campaignRollups.campaignId, ids)),
    )
    .groupBy(campaignRollups.campaignId, campaignRollups.status);
  const raw = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const m = raw.get(r.campaignId) ?? {};
    m[r.status] = Number(r.n);
    raw.set(r.campaignId, m);
  }
  for (const id of ids) {
    const m = raw.get(id) ?? {};
    const v = (k: string) => m[k] ?? 0;
    const skippedLate = v("skipped_at_send");
    const done = v("sent") + v("failed") + v("canceled") + v("unknown") + skippedLate;
    out.set(id, {
      total: v("queued") + v("skipped"),
      pending: Math.max(0, v("queued") - done),
      sent: v("sent"),
      delivered: v("delivered"),
      read: v("read"),
      failed: v("failed") + v("undelivered"),
      skipped: v("skipped") + skippedLate,
      canceled: v("canceled"),
      unknown: v("unknown"),
    });
  }
  return out;
}

const UNSENT = new Set<RecipientStatus>(["failed", "skipped", "canceled", "unknown"]);

export async function findRecipientsPage(
  tx: Tx,
  workspaceId: string,
  {
    campaignId,
    status,
    page,
    pageSize,
  }: { campaignId: string; status?: RecipientStatus; page: number; pageSize: number },
) {
  const r = campaignRecipients;
  const where = and(
    eq(r.workspaceId, workspaceId),
    eq(r.campaignId, campaignId),
    status ? eq(r.status, status) : undefined,
    // No index holds status (campaigns.table.ts); the few that ended unsent have their own.
    status && UNSENT.has(status) ? sql`${r.unsent}` : undefined,
  );
  const rows = await tx
    .select()
    .from(r)
    .where(where)
    .orderBy(r.id)
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}

/** Every recipient of a campaign in id order, a page at a time (CSV export). */
export async function findRecipientsAfter(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
  afterId: string | null,
  limit: number,
) {
  const r = campaignRecipients;
  return tx
    .select()
    .from(r)
    .where(
      and(
        eq(r.workspaceId, workspaceId),
        eq(r.campaignId, campaignId),
        afterId ? sql`${r.id} > ${afterId}` : undefined,
      ),
    )
    .orderBy(r.id)
    .limit(limit);
}

function latestFailedEvents(tx: Tx, workspaceId: string, campaignId: string, limit: number) {
  const e = messageEvents;
  return tx
    .select({ id: e.recipientId })
    .from(e)
    .where(and(eq(e.workspaceId, workspaceId), eq(e.campaignId, campaignId), eq(e.type, "failed")))
    .orderBy(desc(e.occurredAt))
    .limit(limit);
}

export async function findRecentFailures(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
  limit: number,
) {
  const r = campaignRecipients;
  return tx
    .select({
      id: r.id,
      phone: r.phone,
      nombre: r.nombre,
      errorCode: r.errorCode,
      attempts: r.attempts,
      updatedAt: r.updatedAt,
    })
    .from(r)
    .where(
      and(
        eq(r.workspaceId, workspaceId),
        eq(r.campaignId, campaignId),
        eq(r.status, "failed"),
        // Found through the latest `failed` events (a partial index: failures are few), not
        // by status: no index on campaign_recipient holds it (campaigns.table.ts).
        inArray(r.id, latestFailedEvents(tx, workspaceId, campaignId, limit * 4)),
      ),
    )
    .orderBy(desc(r.updatedAt))
    .limit(limit);
}

/** Whether any unfinished campaign sends through `botId`. */
export async function botInUse(tx: Tx, workspaceId: string, botId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, workspaceId),
        inArray(campaigns.status, ["scheduled", "running", "paused"]),
        sql`${botId}::uuid = any(${campaigns.botIds})`,
      ),
    )
    .limit(1);
  return !!row;
}

/** Running campaigns that send through `botId` (to wake their jobs when the bot resumes). */
export async function runningCampaignsOfBot(tx: Tx, workspaceId: string, botId: string) {
  return tx
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, workspaceId),
        eq(campaigns.status, "running"),
        sql`${botId}::uuid = any(${campaigns.botIds})`,
      ),
    );
}
